// Parses and validates a gate's criteria when the gate loads: k6 threshold syntax on a metric, relative
// limits against the baseline, counts and ratios over check results, parity and findings, and
// attestations. Every problem names the criterion and what is wrong; the loader adds the file.
import { parseDurationMs } from '../faults.js';
import { closestName } from '../suggest.js';
import type { CriterionSpec, GateSpec, MetricType } from './define.js';
import { type Aggregation, ALLOWED, BUILTIN_METRICS, closest } from './metrics.js';

export type Op = '<' | '<=' | '>' | '>=' | '==' | '!=';
const OPS: readonly Op[] = ['<=', '>=', '==', '!=', '<', '>'];

export interface Relative {
  factor: number;
  /** ms for a trend, a fraction for a rate, a plain number for a counter or gauge. */
  slack: number;
}

export interface MetricCriterion {
  kind: 'metric';
  metric: string;
  type: MetricType;
  filter: Record<string, string>;
  agg: Aggregation;
  op: Op;
  /** An absolute limit, or undefined when the limit is relative to the baseline. */
  threshold?: number;
  relative?: Relative;
}

export const PARITY_FIELDS = ['ratio', 'compared', 'equal', 'differences', 'steps'] as const;
export const SEVERITY_FIELDS = ['critical', 'high', 'medium', 'low', 'info', 'findings'] as const;
export const CHECK_FIELDS = ['failed', 'passed', 'skipped', 'total'] as const;

export interface CountCriterion {
  kind: 'count';
  /** parity (ParityEvidence), security (FindingEvidence), or a suite's check results. */
  source: 'parity' | 'findings' | 'checks';
  suite: string;
  filter: Record<string, string>;
  field: string;
  op: Op;
  value: number;
}

export interface AttestationCriterion {
  kind: 'attestation';
  name: string;
}

export type ParsedRule = MetricCriterion | CountCriterion | AttestationCriterion;

export interface ParsedCriterion {
  spec: CriterionSpec;
  rule: ParsedRule;
  blocking: boolean;
  /** Evidence age limit in ms. */
  maxAgeMs: number;
  environment: string;
  /** The evidence it reads, in words: `metric http_req_duration`, `smoke checks`, `attestation x`. */
  reads: string;
}

export interface ParsedGate {
  spec: GateSpec;
  alpha: number;
  criteria: ParsedCriterion[];
}

export class GateDefinitionError extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[],
  ) {
    super(message);
  }
}

const FILTER = /^\{([^}]*)\}/;

// The tags a criterion's filter can match, per kind of evidence: what the runners record on it, plus
// what its service implies (wave, tier, phase — withServiceTags). A key outside these never matches,
// so the criterion would only turn INCONCLUSIVE at run time; it is refused when the gate loads.
const SERVICE_TAGS = ['service', 'wave', 'tier', 'phase'] as const;
export const FILTER_KEYS = {
  /** Load evidence (runners/load/evidence.ts): per scenario, endpoint and status class; checks per check. */
  metric: [...SERVICE_TAGS, 'scenario', 'endpoint', 'status_class', 'check'],
  /** Integration parity per compared step. */
  parity: [...SERVICE_TAGS, 'scenario', 'step', 'endpoint'],
  /** Check results of any suite. */
  checks: [...SERVICE_TAGS, 'check'],
  /** Findings of the Kubernetes and security suites. */
  findings: [...SERVICE_TAGS, 'source', 'check', 'object', 'severity'],
} as const;

// k6's own tag names for what the evidence calls otherwise: a k6 user's first guess.
const K6_NAMES: Readonly<Record<string, string>> = {
  name: 'endpoint',
  url: 'endpoint',
  method: 'endpoint',
  status: 'status_class',
  expected_response: 'status_class',
};

function unknownFilterKey(
  filter: Record<string, string>,
  known: readonly string[],
  what: string,
): string | undefined {
  for (const key of Object.keys(filter)) {
    if (known.includes(key)) continue;
    // Tag names are short: a looser distance would offer `tier` for `step`.
    const hint =
      (K6_NAMES[key] && known.includes(K6_NAMES[key]) ? K6_NAMES[key] : undefined) ??
      closestName(key, known, Math.max(1, Math.floor(key.length / 3)));
    return `tag filter key "${key}" is not a tag of ${what}${hint ? ` (did you mean ${hint}?)` : ''}; expected ${known.join(', ')}`;
  }
  return undefined;
}

function parseFilter(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  if (text.trim() === '') return out;
  for (const part of text.split(',')) {
    const colon = part.indexOf(':');
    if (colon < 1) return `tag filter "${part.trim()}": expected key:value`;
    const key = part.slice(0, colon).trim();
    const value = part
      .slice(colon + 1)
      .trim()
      .replace(/^(['"])(.*)\1$/, '$2');
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) return `tag filter: "${key}" is not a tag name`;
    if (value === '') return `tag filter: ${key} has no value`;
    out[key] = value;
  }
  return out;
}

function splitOp(text: string): { left: string; op: Op; right: string } | undefined {
  // Two-character operators are tried first, so `<=` is never read as `<` followed by `=…`.
  for (const op of OPS) {
    const i = text.indexOf(op);
    if (i > 0) return { left: text.slice(0, i).trim(), op, right: text.slice(i + op.length).trim() };
  }
  return undefined;
}

function parseAggregation(text: string): Aggregation | string {
  const p = /^p\(\s*(\d+(?:\.\d+)?)\s*\)$/.exec(text);
  if (p) {
    const pct = Number(p[1]);
    if (!(pct > 0 && pct < 100)) return `percentile p(${p[1]}) must be between 0 and 100 (exclusive)`;
    return { fn: 'p', q: pct / 100 };
  }
  if (['avg', 'min', 'max', 'med', 'rate', 'count', 'value'].includes(text))
    return { fn: text as 'avg' | 'min' | 'max' | 'med' | 'rate' | 'count' | 'value' };
  return `unknown aggregation "${text}"; expected avg, min, max, med, p(N), rate, count or value`;
}

/** A number with an optional unit: ms/s/m/us for trends, % for rates. */
function parseQuantity(text: string, type: MetricType): number | string {
  const t = text.trim();
  const pct = /^([+-]?\d+(?:\.\d+)?)\s*%$/.exec(t);
  if (pct) {
    if (type !== 'rate') return `"${t}": a percentage only applies to a rate`;
    return Number(pct[1]) / 100;
  }
  const m = /^([+-]?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*(us|µs|ms|s|m)?$/.exec(t);
  if (!m) return `"${t}" is not a number`;
  const n = Number(m[1]);
  if (!m[2]) return n;
  if (type !== 'trend') return `"${t}": a time unit only applies to a trend`;
  return m[2] === 'us' || m[2] === 'µs' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
}

/** `baseline`, `baseline * 1.10`, `baseline * 1.1 + 5ms`, `baseline + 0.001`. */
function parseRelative(text: string, type: MetricType): Relative | string | undefined {
  const m = /^baseline(?:\s*\*\s*([0-9.]+))?(?:\s*([+-])\s*(.+))?$/.exec(text.trim());
  if (!m) return text.includes('baseline') ? `"${text}": expected baseline [* FACTOR] [+ SLACK]` : undefined;
  const factor = m[1] === undefined ? 1 : Number(m[1]);
  if (!(factor > 0) || !Number.isFinite(factor)) return `"${text}": the factor must be a positive number`;
  let slack = 0;
  if (m[3] !== undefined) {
    const q = parseQuantity(m[3], type);
    if (typeof q === 'string') return q;
    slack = m[2] === '-' ? -q : q;
  }
  return { factor, slack };
}

function parseMetric(expr: string, gate: GateSpec): MetricCriterion | string {
  const head = /^([A-Za-z_][A-Za-z0-9_]*)\s*/.exec(expr);
  if (!head) return `"${expr}": expected METRIC{tags}: AGG OP VALUE`;
  const metric = head[1]!;
  let rest = expr.slice(head[0].length);
  let filter: Record<string, string> = {};
  const f = FILTER.exec(rest);
  if (f) {
    const parsed = parseFilter(f[1]!);
    if (typeof parsed === 'string') return parsed;
    filter = parsed;
    rest = rest.slice(f[0].length).trim();
  }
  if (!rest.startsWith(':')) return `"${expr}": expected ":" after the metric and its tags`;
  const known = { ...BUILTIN_METRICS, ...(gate.metrics ?? {}) };
  const type = known[metric];
  if (!type) {
    const hint = closest(metric, Object.keys(known));
    return `unknown metric "${metric}"${hint ? ` (did you mean ${hint}?)` : ''}; declare custom metrics in the gate's \`metrics\``;
  }
  // A custom metric carries whatever tags its producer gives it; the built-in ones, the load engine's.
  if (BUILTIN_METRICS[metric]) {
    const bad = unknownFilterKey(filter, FILTER_KEYS.metric, `${metric} evidence`);
    if (bad) return bad;
  }
  const cond = splitOp(rest.slice(1).trim());
  if (!cond) return `"${rest.slice(1).trim()}": expected AGG OP VALUE such as p(95)<300`;
  const agg = parseAggregation(cond.left);
  if (typeof agg === 'string') return agg;
  const aggKey = agg.fn === 'p' ? 'p(N)' : agg.fn;
  if (!ALLOWED[type].includes(aggKey))
    return `${metric} is a ${type}: ${cond.left} does not apply (a ${type} allows ${ALLOWED[type].join(', ')})`;
  if (type === 'counter' && agg.fn === 'rate')
    return `${metric}: rate of a counter is per second and needs the test's duration, which evidence does not carry; use count`;
  const statistical = type === 'rate' || (type === 'trend' && !['min', 'max'].includes(agg.fn));
  if (statistical && (cond.op === '==' || cond.op === '!='))
    return `${cond.left} ${cond.op}: an estimate is never exactly equal to a limit; use <, <=, > or >=`;
  const relative = parseRelative(cond.right, type);
  if (typeof relative === 'string') return relative;
  if (relative) {
    if (type === 'trend' && !(agg.fn === 'p' || agg.fn === 'med'))
      return `${cond.left} relative to the baseline: only percentiles (p(N), med) of a trend can be compared with an interval`;
    return { kind: 'metric', metric, type, filter, agg, op: cond.op, relative };
  }
  const threshold = parseQuantity(cond.right, type);
  if (typeof threshold === 'string') return threshold;
  if (type === 'rate' && (threshold < 0 || threshold > 1))
    return `rate limit ${threshold} is not within 0..1`;
  return { kind: 'metric', metric, type, filter, agg, op: cond.op, threshold };
}

function parseCount(expr: string): CountCriterion | string | undefined {
  const m = /^([a-z][a-z0-9-]*)(\{[^}]*\})?\.([a-z_]+)\s*(.*)$/.exec(expr);
  if (!m) return undefined;
  const head = m[1]!;
  const filter = m[2] ? parseFilter(m[2].slice(1, -1)) : {};
  if (typeof filter === 'string') return filter;
  const field = m[3]!;
  const cond = splitOp(`x${m[4]}`);
  if (cond?.left !== 'x') return `"${expr}": expected ${head}.${field} OP NUMBER such as == 0`;
  const value = Number(cond.right);
  if (cond.right === '' || !Number.isFinite(value)) return `"${cond.right}" is not a number`;
  if (head === 'parity') {
    if (!(PARITY_FIELDS as readonly string[]).includes(field))
      return `parity.${field}: unknown field; expected ${PARITY_FIELDS.join(', ')}`;
    return (
      unknownFilterKey(filter, FILTER_KEYS.parity, 'parity evidence') ?? {
        kind: 'count',
        source: 'parity',
        suite: 'integration',
        filter,
        field,
        op: cond.op,
        value,
      }
    );
  }
  if ((SEVERITY_FIELDS as readonly string[]).includes(field))
    return (
      unknownFilterKey(filter, FILTER_KEYS.findings, 'findings') ?? {
        kind: 'count',
        source: 'findings',
        suite: head,
        filter,
        field,
        op: cond.op,
        value,
      }
    );
  if (!(CHECK_FIELDS as readonly string[]).includes(field)) {
    const hint = closest(field, [...CHECK_FIELDS, ...SEVERITY_FIELDS]);
    return `${head}.${field}: unknown field${hint ? ` (did you mean ${hint}?)` : ''}; expected ${CHECK_FIELDS.join(', ')} (check results) or ${SEVERITY_FIELDS.join(', ')} (findings)`;
  }
  return (
    unknownFilterKey(filter, FILTER_KEYS.checks, `${head} check results`) ?? {
      kind: 'count',
      source: 'checks',
      suite: head,
      filter,
      field,
      op: cond.op,
      value,
    }
  );
}

function readsOf(rule: ParsedRule): string {
  if (rule.kind === 'metric') return `metric ${rule.metric}`;
  if (rule.kind === 'attestation') return `attestation ${rule.name}`;
  if (rule.source === 'parity') return 'integration parity';
  if (rule.source === 'findings') return `${rule.suite} findings`;
  return `${rule.suite} checks`;
}

const DEFAULT_MAX_AGE = '7d';

function parseAge(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(d|h)$/.exec(text.trim());
  if (m) return Number(m[1]) * (m[2] === 'd' ? 86_400_000 : 3_600_000);
  return parseDurationMs(text);
}

const ID = /^[a-z0-9][a-z0-9._-]*$/;

/** Validates a gate and parses its criteria; every problem at once, as `criterion ID: problem`. */
export function parseGate(gate: GateSpec): ParsedGate {
  const problems: string[] = [];
  if (!gate || typeof gate !== 'object') throw new GateDefinitionError('not a gate object', []);
  if (typeof gate.id !== 'string' || !ID.test(gate.id))
    problems.push(`id ${JSON.stringify(gate.id)}: expected a lower-case id such as 3-rentguy`);
  if (!Number.isInteger(gate.phase) || gate.phase < 1 || gate.phase > 5)
    problems.push(`phase ${JSON.stringify(gate.phase)}: expected 1..5`);
  if (typeof gate.title !== 'string' || gate.title === '') problems.push('title: missing');
  const alpha = gate.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 0.5)) problems.push(`alpha ${alpha}: expected a rate between 0 and 0.5`);
  const gateAge = parseAge(gate.maxAge ?? DEFAULT_MAX_AGE);
  if (gateAge === undefined) problems.push(`maxAge "${gate.maxAge}": expected a duration such as 24h or 7d`);
  if (!Array.isArray(gate.criteria) || gate.criteria.length === 0)
    problems.push('criteria: expected at least one');
  const seen = new Set<string>();
  const criteria: ParsedCriterion[] = [];
  for (const [i, spec] of (Array.isArray(gate.criteria) ? gate.criteria : []).entries()) {
    const where = `criterion ${spec && typeof spec.id === 'string' ? spec.id : `#${i + 1}`}`;
    if (!spec || typeof spec.id !== 'string' || !ID.test(spec.id)) {
      problems.push(`${where}: id must be a lower-case id such as perf.p95`);
      continue;
    }
    if (seen.has(spec.id)) problems.push(`${where}: duplicate id`);
    seen.add(spec.id);
    if (typeof spec.title !== 'string' || spec.title === '') problems.push(`${where}: title missing`);
    if (![1, 2, 3, 4, 5, 6].includes(spec.serves))
      problems.push(`${where}: serves must be the plan's success criterion 1..6`);
    const age = spec.maxAge === undefined ? gateAge : parseAge(spec.maxAge);
    if (age === undefined)
      problems.push(`${where}: maxAge "${spec.maxAge}": expected a duration such as 24h`);
    let rule: ParsedRule | string;
    if (spec.attestation !== undefined && spec.expr !== undefined)
      rule = 'give either expr or attestation, not both';
    else if (spec.attestation !== undefined)
      rule = ID.test(spec.attestation)
        ? { kind: 'attestation', name: spec.attestation }
        : `attestation "${spec.attestation}": expected a lower-case name`;
    else if (typeof spec.expr !== 'string' || spec.expr.trim() === '') rule = 'expr missing';
    else {
      const expr = spec.expr.trim();
      rule = parseCount(expr) ?? parseMetric(expr, gate);
    }
    if (typeof rule === 'string') {
      problems.push(`${where}: ${rule}`);
      continue;
    }
    criteria.push({
      spec,
      rule,
      blocking: spec.blocking ?? true,
      maxAgeMs: age ?? 0,
      environment: spec.environment ?? 'target',
      reads: readsOf(rule),
    });
  }
  if (problems.length > 0)
    throw new GateDefinitionError(`gate ${gate.id}: ${problems.length} problem(s)`, problems);
  return { spec: gate, alpha, criteria };
}
