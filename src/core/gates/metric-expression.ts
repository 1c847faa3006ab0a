// The one grammar of a metric condition, k6's threshold syntax extended with a baseline: a metric, an
// optional tag filter, an aggregation, an operator and a limit — `http_req_duration{endpoint:GET /a}:
// p(95) <= baseline * 1.10 + 5ms`. Gate criteria (parse.ts) and a load scenario's own thresholds
// (thresholds.ts) are both read by parseMetricCondition, checked against the one metric table
// (metrics.ts); what differs is the context: a gate judges an estimate with its interval, so `==` on an
// estimate and a counter's per-second rate are refused there, while a threshold is evaluated on the
// measured value, as k6 evaluates it.

import { closestName } from '../suggest.js';
import type { MetricType } from './define.js';
import { type Aggregation, ALLOWED, BUILTIN_METRICS, closest, metricSuite } from './metrics.js';

export type Op = '<' | '<=' | '>' | '>=' | '==' | '!=';
// Two- and three-character operators first, so `<=` is never read as `<` followed by `=…`; k6's `===`
// reads as `==`.
const OPS: readonly string[] = ['===', '<=', '>=', '==', '!=', '<', '>'];

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

const FILTER = /^\{([^}]*)\}/;

// The tags a criterion's filter can match, per kind of evidence: what the runners record on it, plus
// what its service implies (wave, tier, phase — withServiceTags). A key outside these never matches,
// so the criterion would only turn INCONCLUSIVE at run time; it is refused when the gate loads.
const SERVICE_TAGS = ['service', 'wave', 'tier', 'phase'] as const;
export const FILTER_KEYS = {
  /** Load evidence (runners/load/evidence.ts): per scenario, endpoint and status class; checks per check. */
  metric: [...SERVICE_TAGS, 'scenario', 'endpoint', 'status_class', 'check'],
  /** The browser suite's page metrics (browser_lcp …): per frontend service and captured page. */
  browser: [...SERVICE_TAGS, 'page'],
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

export function unknownFilterKey(
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

export function parseFilter(text: string): Record<string, string> | string {
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

export function splitOp(text: string): { left: string; op: Op; right: string } | undefined {
  for (const op of OPS) {
    const i = text.indexOf(op);
    if (i > 0)
      return {
        left: text.slice(0, i).trim(),
        op: (op === '===' ? '==' : op) as Op,
        right: text.slice(i + op.length).trim(),
      };
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

/**
 * Where a condition is read: a gate's criterion (the default: judged with an interval, against k6's
 * metrics and the gate's own) or a load scenario's threshold (evaluated on the measured value, as k6
 * does, against the metrics the load engines measure).
 */
export interface ConditionContext {
  kind: 'criterion' | 'threshold';
  /** Metric name → type: the table the condition is checked against. */
  metrics: Readonly<Record<string, MetricType>>;
  /** How the message says where to declare a metric that is not in the table. */
  unknownHint: string;
}

export function criterionContext(custom: Readonly<Record<string, MetricType>> = {}): ConditionContext {
  return {
    kind: 'criterion',
    metrics: { ...BUILTIN_METRICS, ...custom },
    unknownHint: "declare custom metrics in the gate's `metrics`",
  };
}

/** `METRIC{tags}: AGG OP LIMIT`, read in its context; a string is the problem, in words. */
export function parseMetric(expr: string, ctx: ConditionContext): MetricCriterion | string {
  const forThreshold = ctx.kind === 'threshold';
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
  const known = ctx.metrics;
  const type = known[metric];
  if (!type) {
    const hint = closest(metric, Object.keys(known));
    return `unknown metric "${metric}"${hint ? ` (did you mean ${hint}?)` : ''}; ${ctx.unknownHint}`;
  }
  // A custom metric carries whatever tags its producer gives it; the built-in ones, the load engine's.
  if (BUILTIN_METRICS[metric] && !forThreshold) {
    const keys = metricSuite(metric) === 'browser' ? FILTER_KEYS.browser : FILTER_KEYS.metric;
    const bad = unknownFilterKey(filter, keys, `${metric} evidence`);
    if (bad) return bad;
  }
  const cond = splitOp(rest.slice(1).trim());
  if (!cond) return `"${rest.slice(1).trim()}": expected AGG OP VALUE such as p(95)<300`;
  const agg = parseAggregation(cond.left);
  if (typeof agg === 'string') return agg;
  const aggKey = agg.fn === 'p' ? 'p(N)' : agg.fn;
  if (!ALLOWED[type].includes(aggKey))
    return `${metric} is a ${type}: ${cond.left} does not apply (a ${type} allows ${ALLOWED[type].join(', ')})`;
  // A threshold is evaluated on one run's measured values, as k6 does: a counter's rate per second of the
  // run, and `==` on a value such as `checks: rate==1`. A gate's criterion judges an estimate across
  // evidence that carries no duration, with an interval.
  if (!forThreshold && type === 'counter' && agg.fn === 'rate')
    return `${metric}: rate of a counter is per second and needs the test's duration, which evidence does not carry; use count`;
  const statistical = type === 'rate' || (type === 'trend' && !['min', 'max'].includes(agg.fn));
  if (!forThreshold && statistical && (cond.op === '==' || cond.op === '!='))
    return `${cond.left} ${cond.op}: an estimate is never exactly equal to a limit; use <, <=, > or >=`;
  const relative = parseRelative(cond.right, type);
  if (typeof relative === 'string') return relative;
  if (relative && forThreshold)
    return `"${cond.right}": a scenario's threshold holds on its own measurements; a limit relative to the baseline belongs in a gate`;
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
