// Parses and validates a gate's criteria when the gate loads: k6 threshold syntax on a metric, relative
// limits against the baseline, counts and ratios over check results, parity and findings, and
// attestations. Every problem names the criterion and what is wrong; the loader adds the file.
import { parseDurationMs } from '../faults.js';
import {
  criterionContext,
  FILTER_KEYS,
  type MetricCriterion,
  type Op,
  parseFilter,
  parseMetric,
  splitOp,
  unknownFilterKey,
} from './metric-expression.js';

export type { MetricCriterion, Op, Relative } from './metric-expression.js';
export { FILTER_KEYS } from './metric-expression.js';

import type { CriterionSpec, GateSpec } from './define.js';
import { closest } from './metrics.js';

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

/** A maximum age such as `24h`, `7d`, `30m` or `90s`, in milliseconds; undefined when it is none. */
export function parseAge(text: string): number | undefined {
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
      rule = parseCount(expr) ?? parseMetric(expr, criterionContext(gate.metrics));
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
