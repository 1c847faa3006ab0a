// The shared ground of metric criteria: picking a criterion's metric evidence, grouping it into
// series, decoding histograms once, and the small decision and wording helpers both the relative
// and the absolute judges use.
import type { MetricEvidence } from '../evidence.js';
import { decideUpper, type StatDecision } from '../stats/decide.js';
import { type Distribution, distributionFromEncoded, mergeDistributions } from '../stats/distribution.js';
import { type GateInput, matches, type ServiceInfo, withServiceTags } from './input.js';
import type { GroupOutcome } from './outcome.js';
import type { MetricCriterion, ParsedCriterion } from './parse.js';
import { criterionSuite } from './scope.js';

export interface Levels {
  /** One-sided z for PASS (risk of a wrong PASS) and the screening z for a FAIL candidate. */
  zPass: number;
  zFail: number;
  /** Two-sided level of the intervals shown. */
  level: number;
}

interface Series {
  key: string;
  items: MetricEvidence[];
}

// Decoding a histogram is the expensive step; a gate reads the same evidence many times.
const decoded = new WeakMap<MetricEvidence, Distribution>();

/**
 * Supplies an item's distribution ahead of time, for callers that already hold it decoded (the seeded
 * simulation builds thousands of histograms per second and need not encode them to prove the rule).
 */
export function primeDistribution(item: MetricEvidence, d: Distribution): void {
  decoded.set(item, d);
}

export function distributionFor(items: readonly MetricEvidence[]): Distribution | undefined {
  const parts: Distribution[] = [];
  for (const item of items) {
    let d = decoded.get(item);
    if (!d) {
      if (!item.histogram) continue;
      try {
        d = distributionFromEncoded(item.histogram);
      } catch {
        continue; // A corrupt histogram is no evidence; the group then reports too few samples.
      }
      decoded.set(item, d);
    }
    if (d.n > 0) parts.push(d);
  }
  return parts.length ? mergeDistributions(parts) : undefined;
}

/**
 * Tags that split one series' samples rather than name a series: k6 tags every sample with its status
 * and expected_response, and the load engine records latency per status class. Items differing only in
 * these are parts of one series, so a criterion without a filter on them judges the whole series
 * (answered requests of every class, merged exactly), and `{status_class:5xx}` judges one part.
 */
export const SAMPLE_TAGS: readonly string[] = ['status_class', 'expected_response', 'status'];

export function groupKey(tags: Record<string, string>, per: readonly string[] | 'series'): string {
  if (per === 'series')
    return Object.keys(tags)
      .filter((k) => !['wave', 'tier', 'phase'].includes(k) && !SAMPLE_TAGS.includes(k))
      .sort()
      .map((k) => `${k}=${tags[k]}`)
      .join(', ');
  return per.map((k) => `${k}=${tags[k] ?? '(none)'}`).join(', ');
}

export function seriesOf(
  items: readonly MetricEvidence[],
  services: readonly ServiceInfo[],
  rule: MetricCriterion,
  per: readonly string[] | 'series',
): Map<string, Series> {
  const out = new Map<string, Series>();
  for (const item of items) {
    const tags = withServiceTags(item.tags, services);
    if (!matches(tags, rule.filter)) continue;
    const key = groupKey(tags, per);
    const s = out.get(key) ?? { key, items: [] };
    s.items.push(item);
    out.set(key, s);
  }
  return out;
}

/**
 * The metric evidence a criterion reads: of its metric and environment, and of its suite only — the
 * performance suite's unless it names another. Two suites record the same metric names (the load
 * engines and the post-cutover watch's production traffic); a load criterion that also read the watch's
 * windows would compare a load test with production, and find "no baseline samples" for the rest.
 */
export function selectItems(c: ParsedCriterion, input: GateInput, environment: string): MetricEvidence[] {
  const rule = c.rule as MetricCriterion;
  const suite = criterionSuite(c);
  return input.evidence.filter(
    (e): e is MetricEvidence =>
      e.kind === 'metric' && e.name === rule.metric && e.environment === environment && e.suite === suite,
  );
}

export function opText(op: string): string {
  return op.replace('<=', '≤').replace('>=', '≥');
}

export function upper(op: string): boolean {
  return op === '<' || op === '<=';
}

/** Mirrors a lower-bound comparison (≥) into an upper-bound one, so one decision rule serves both. */
export function decide(
  estimate: number,
  se: number,
  limit: number,
  op: string,
  n: number,
  lv: Levels,
): StatDecision {
  return upper(op)
    ? decideUpper(estimate, se, limit, n, lv.zPass, lv.zFail)
    : decideUpper(-estimate, se, -limit, n, lv.zPass, lv.zFail);
}

export function statusOf(d: StatDecision): GroupOutcome['status'] {
  return d.side === 'within' ? 'PASS' : d.side === 'beyond' ? 'CANDIDATE' : 'INCONCLUSIVE';
}

export function settleNote(d: StatDecision): string {
  if (d.side !== 'undecided') return '';
  if (!Number.isFinite(d.samplesToSettle ?? Number.POSITIVE_INFINITY))
    return '; the estimate sits on the limit, more samples may not settle it';
  return `; about ${d.samplesToSettle} samples per side would settle it if the estimate holds`;
}

export function verb(d: StatDecision): string {
  return d.side === 'within'
    ? 'within the limit'
    : d.side === 'beyond'
      ? 'beyond the limit'
      : 'the interval straddles the limit';
}

export function pct(level: number): string {
  return `${Math.round(level * 100)} %`;
}

// ---------- relative: target against baseline ----------

export interface RateCounts {
  x: number;
  n: number;
}

export function rateCounts(items: readonly MetricEvidence[]): RateCounts | undefined {
  let x = 0;
  let n = 0;
  for (const i of items) {
    x += i.passes ?? 0;
    n += (i.passes ?? 0) + (i.fails ?? 0);
  }
  return n > 0 ? { x, n } : undefined;
}

export function exactValue(rule: MetricCriterion, items: readonly MetricEvidence[]): number | undefined {
  if (items.length === 0) return undefined;
  if (rule.type === 'counter') return items.reduce((s, i) => s + (i.count ?? 0), 0);
  const latest = [...items].sort((a, b) => b.at.localeCompare(a.at))[0]!;
  return latest.value;
}

/** `tolerance` > 0 makes == and != forgive float noise (ratios computed from counts). */
export function compareExact(v: number, op: string, limit: number, tolerance = 0): boolean {
  switch (op) {
    case '<':
      return v < limit;
    case '<=':
      return v <= limit;
    case '>':
      return v > limit;
    case '>=':
      return v >= limit;
    case '==':
      return tolerance > 0 ? Math.abs(v - limit) < tolerance : v === limit;
    default:
      return tolerance > 0 ? Math.abs(v - limit) >= tolerance : v !== limit;
  }
}

// ---------- absolute thresholds ----------
