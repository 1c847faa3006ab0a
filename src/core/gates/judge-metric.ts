// Judges a criterion on a k6-style metric: absolute thresholds (k6 syntax, but with an interval where
// the value is an estimate) and limits relative to the baseline (quantile ratios and rate differences
// with intervals), per group of series.
import type { MetricEvidence } from '../evidence.js';
import { decideUpper, type StatDecision } from '../stats/decide.js';
import {
  countAtOrBelow,
  type Distribution,
  distributionFromEncoded,
  maxOf,
  meanOf,
  mergeDistributions,
  minOf,
  quantileOf,
} from '../stats/distribution.js';
import { normalCdf } from '../stats/normal.js';
import { newcombe, wilson, zWhereLowReaches } from '../stats/proportion.js';
import { compareQuantiles, minimumSamples, quantileInterval } from '../stats/quantile-ci.js';
import {
  byFreshness,
  describeFilter,
  type GateInput,
  matches,
  staleReason,
  withServiceTags,
} from './input.js';
import { aggregationName } from './metrics.js';
import { fmt, fmtSigned, type GroupOutcome, inconclusive, type Judgement, noEvidence } from './outcome.js';
import type { MetricCriterion, ParsedCriterion } from './parse.js';

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

function distributionFor(items: readonly MetricEvidence[]): Distribution | undefined {
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

function groupKey(tags: Record<string, string>, per: readonly string[] | 'series'): string {
  if (per === 'series')
    return Object.keys(tags)
      .filter((k) => !['wave', 'tier', 'phase'].includes(k))
      .sort()
      .map((k) => `${k}=${tags[k]}`)
      .join(', ');
  return per.map((k) => `${k}=${tags[k] ?? '(none)'}`).join(', ');
}

function seriesOf(
  items: readonly MetricEvidence[],
  input: GateInput,
  rule: MetricCriterion,
  per: readonly string[] | 'series',
): Map<string, Series> {
  const out = new Map<string, Series>();
  for (const item of items) {
    const tags = withServiceTags(item.tags, input.services);
    if (!matches(tags, rule.filter)) continue;
    const key = groupKey(tags, per);
    const s = out.get(key) ?? { key, items: [] };
    s.items.push(item);
    out.set(key, s);
  }
  return out;
}

function selectItems(c: ParsedCriterion, input: GateInput, environment: string): MetricEvidence[] {
  const rule = c.rule as MetricCriterion;
  return input.evidence.filter(
    (e): e is MetricEvidence =>
      e.kind === 'metric' &&
      e.name === rule.metric &&
      e.environment === environment &&
      (c.spec.suite === undefined || e.suite === c.spec.suite),
  );
}

function opText(op: string): string {
  return op.replace('<=', '≤').replace('>=', '≥');
}

function upper(op: string): boolean {
  return op === '<' || op === '<=';
}

/** Mirrors a lower-bound comparison (≥) into an upper-bound one, so one decision rule serves both. */
function decide(
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

function statusOf(d: StatDecision): GroupOutcome['status'] {
  return d.side === 'within' ? 'PASS' : d.side === 'beyond' ? 'CANDIDATE' : 'INCONCLUSIVE';
}

function settleNote(d: StatDecision): string {
  if (d.side !== 'undecided') return '';
  if (!Number.isFinite(d.samplesToSettle ?? Number.POSITIVE_INFINITY))
    return '; the estimate sits on the limit, more samples may not settle it';
  return `; about ${d.samplesToSettle} samples per side would settle it if the estimate holds`;
}

function verb(d: StatDecision): string {
  return d.side === 'within'
    ? 'within the limit'
    : d.side === 'beyond'
      ? 'beyond the limit'
      : 'the interval straddles the limit';
}

function pct(level: number): string {
  return `${Math.round(level * 100)} %`;
}

// ---------- relative: target against baseline ----------

function judgeRelativeTrend(
  rule: MetricCriterion,
  t: Distribution | undefined,
  b: Distribution | undefined,
  key: string,
  lv: Levels,
  minSamples: number,
  baselineLabel: string,
): GroupOutcome {
  const q = rule.agg.fn === 'p' ? rule.agg.q : 0.5;
  const name = aggregationName(rule.agg);
  const rel = rule.relative!;
  if (!t)
    return {
      key,
      status: 'INCONCLUSIVE',
      reason: `no target samples for ${key || 'this metric'} (the ${baselineLabel} has them)`,
    };
  if (!b)
    return {
      key,
      status: 'INCONCLUSIVE',
      reason: `no ${baselineLabel} samples for ${key || 'this metric'} to compare with`,
      n: t.n,
    };
  const need = Math.max(minSamples, minimumSamples(q));
  const cmp = t.n >= need && b.n >= need ? compareQuantiles(t, b, q, rel.factor, rel.slack) : undefined;
  if (!cmp)
    return {
      key,
      status: 'INCONCLUSIVE',
      reason: `too few samples for ${name}: ${t.n} target, ${b.n} baseline; at least ${need} per side`,
      n: t.n,
      nBaseline: b.n,
      samplesToSettle: need,
    };
  const { comparison: c } = cmp;
  const n = Math.min(t.n, b.n);
  const d = decide(c.estimate, c.se, c.limit, rule.op, n, lv);
  const lowE = c.estimate - lv.zPass * c.se;
  const highE = c.estimate + lv.zPass * c.se;
  const common = {
    key,
    n: t.n,
    nBaseline: b.n,
    target: cmp.target.value,
    baseline: cmp.baseline.value,
    pValue: d.pValue,
    status: statusOf(d),
    ...(d.samplesToSettle !== undefined && Number.isFinite(d.samplesToSettle)
      ? { samplesToSettle: d.samplesToSettle }
      : {}),
  };
  const limitText = `${rel.factor === 1 ? '' : `${rel.factor} × `}${fmt(cmp.baseline.value, 'ms')}${rel.slack ? ` ${rel.slack > 0 ? '+' : '−'} ${fmt(Math.abs(rel.slack), 'ms')}` : ''}`;
  if (c.scale === 'log-ratio') {
    const value = Math.exp(c.estimate);
    return {
      ...common,
      value,
      limit: rel.factor,
      interval: { low: Math.exp(lowE), high: Math.exp(highE), level: lv.level },
      reason: `${name} ${fmt(cmp.target.value, 'ms')} vs ${fmt(cmp.baseline.value, 'ms')}: ratio ${fmt(value, 'ratio')} (${pct(lv.level)} CI ${fmt(Math.exp(lowE), 'ratio')}–${fmt(Math.exp(highE), 'ratio')}), allowed ${opText(rule.op)} ${rel.factor}: ${verb(d)}${settleNote(d)}`,
    };
  }
  return {
    ...common,
    value: c.estimate,
    limit: rel.slack,
    interval: { low: lowE, high: highE, level: lv.level },
    reason: `${name} ${fmt(cmp.target.value, 'ms')} vs limit ${limitText} = ${fmt(rel.factor * cmp.baseline.value + rel.slack, 'ms')}; target − ${rel.factor} × baseline ${fmtSigned(c.estimate, 'ms')} (${pct(lv.level)} CI ${fmtSigned(lowE, 'ms')}…${fmtSigned(highE, 'ms')}), allowed ${opText(rule.op)} ${fmtSigned(rel.slack, 'ms')}: ${verb(d)}${settleNote(d)}`,
  };
}

interface RateCounts {
  x: number;
  n: number;
}

function rateCounts(items: readonly MetricEvidence[]): RateCounts | undefined {
  let x = 0;
  let n = 0;
  for (const i of items) {
    x += i.passes ?? 0;
    n += (i.passes ?? 0) + (i.fails ?? 0);
  }
  return n > 0 ? { x, n } : undefined;
}

function judgeRelativeRate(
  rule: MetricCriterion,
  t: RateCounts | undefined,
  b: RateCounts | undefined,
  key: string,
  lv: Levels,
  minSamples: number,
  baselineLabel: string,
): GroupOutcome {
  const rel = rule.relative!;
  if (!t) return { key, status: 'INCONCLUSIVE', reason: `no target samples for ${key || rule.metric}` };
  if (!b)
    return {
      key,
      status: 'INCONCLUSIVE',
      reason: `no ${baselineLabel} samples for ${key || rule.metric} to compare with`,
      n: t.n,
    };
  if (t.n < minSamples || b.n < minSamples)
    return {
      key,
      status: 'INCONCLUSIVE',
      reason: `too few samples: ${t.n} target, ${b.n} baseline; at least ${minSamples} per side`,
      n: t.n,
      nBaseline: b.n,
      samplesToSettle: minSamples,
    };
  const a = rel.factor;
  const est = t.x / t.n - a * (b.x / b.n);
  // Upper-bound criteria (rate ≤ baseline + d) are judged on p_t − a·p_b; lower-bound ones mirrored.
  const sign = upper(rule.op) ? 1 : -1;
  const intervalAt = (z: number) => newcombe(t.x, t.n, b.x, b.n, z, a);
  const shown = intervalAt(lv.zPass);
  const limit = rel.slack;
  const edgeHigh = sign > 0 ? shown.high : -shown.low;
  const within = edgeHigh <= sign * limit;
  const screen = intervalAt(lv.zFail);
  const beyond = sign > 0 ? screen.low > limit : screen.high < limit;
  const zStar = zWhereLowReaches((z) => (sign > 0 ? intervalAt(z).low : -intervalAt(z).high), sign * limit);
  const pValue = 1 - normalCdf(zStar);
  const side: StatDecision['side'] = within ? 'within' : beyond ? 'beyond' : 'undecided';
  let samplesToSettle: number | undefined;
  if (side === 'undecided') {
    const se = (shown.high - shown.low) / (2 * lv.zPass);
    const gap = Math.abs(limit - est);
    samplesToSettle = gap > 0 ? Math.ceil(Math.min(t.n, b.n) * ((lv.zPass * se) / gap) ** 2) : undefined;
  }
  const d: StatDecision = {
    side,
    pValue,
    ...(samplesToSettle !== undefined ? { samplesToSettle } : { samplesToSettle: Number.POSITIVE_INFINITY }),
  };
  return {
    key,
    status: statusOf(d),
    pValue,
    value: est,
    limit,
    interval: { low: shown.low, high: shown.high, level: lv.level },
    n: t.n,
    nBaseline: b.n,
    ...(samplesToSettle !== undefined ? { samplesToSettle } : {}),
    reason: `rate ${fmt(t.x / t.n, 'rate')} (${t.x}/${t.n}) vs ${baselineLabel} ${fmt(b.x / b.n, 'rate')} (${b.x}/${b.n}): difference${a === 1 ? '' : ` to ${a} × baseline`} ${fmtSigned(est * 100, '')} pp (${pct(lv.level)} CI ${fmtSigned(shown.low * 100, '')}…${fmtSigned(shown.high * 100, '')} pp), allowed ${opText(rule.op)} ${fmtSigned(limit * 100, '')} pp: ${verb(d)}${settleNote(d)}`,
  };
}

function exactValue(rule: MetricCriterion, items: readonly MetricEvidence[]): number | undefined {
  if (items.length === 0) return undefined;
  if (rule.type === 'counter') return items.reduce((s, i) => s + (i.count ?? 0), 0);
  const latest = [...items].sort((a, b) => b.at.localeCompare(a.at))[0]!;
  return latest.value;
}

function compareExact(v: number, op: string, limit: number): boolean {
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
      return v === limit;
    default:
      return v !== limit;
  }
}

// ---------- absolute thresholds ----------

function judgeAbsoluteTrend(
  rule: MetricCriterion,
  d: Distribution | undefined,
  key: string,
  lv: Levels,
  minSamples: number,
): GroupOutcome {
  const name = aggregationName(rule.agg);
  const L = rule.threshold!;
  if (!d) return { key, status: 'INCONCLUSIVE', reason: `no samples${key ? ` for ${key}` : ''}` };
  if (d.n < Math.max(1, minSamples))
    return {
      key,
      status: 'INCONCLUSIVE',
      reason: `too few samples: ${d.n}, at least ${minSamples}`,
      n: d.n,
      samplesToSettle: minSamples,
    };
  if (rule.agg.fn === 'min' || rule.agg.fn === 'max') {
    const v = rule.agg.fn === 'min' ? minOf(d) : maxOf(d);
    const ok = compareExact(v, rule.op, L);
    return {
      key,
      status: ok ? 'PASS' : 'FAIL',
      value: v,
      limit: L,
      n: d.n,
      reason: `${name} ${fmt(v, 'ms')} over ${d.n} samples (observed, exact), allowed ${opText(rule.op)} ${fmt(L, 'ms')}`,
    };
  }
  if (rule.agg.fn === 'avg') {
    const { mean, sd } = meanOf(d);
    const se = d.n > 1 ? sd / Math.sqrt(d.n) : Number.POSITIVE_INFINITY;
    const dec = decide(mean, se, L, rule.op, d.n, lv);
    return {
      key,
      status: statusOf(dec),
      pValue: dec.pValue,
      value: mean,
      limit: L,
      n: d.n,
      interval: { low: mean - lv.zPass * se, high: mean + lv.zPass * se, level: lv.level },
      ...(dec.samplesToSettle && Number.isFinite(dec.samplesToSettle)
        ? { samplesToSettle: dec.samplesToSettle }
        : {}),
      reason: `avg ${fmt(mean, 'ms')} (${pct(lv.level)} CI ${fmt(mean - lv.zPass * se, 'ms')}–${fmt(mean + lv.zPass * se, 'ms')}, n ${d.n}), allowed ${opText(rule.op)} ${fmt(L, 'ms')}: ${verb(dec)}${settleNote(dec)}`,
    };
  }
  const q = rule.agg.fn === 'p' ? rule.agg.q : 0.5;
  const value = quantileOf(d, q);
  const ci = quantileInterval(d, q, lv.zPass);
  if (!ci)
    return {
      key,
      status: 'INCONCLUSIVE',
      value,
      limit: L,
      n: d.n,
      samplesToSettle: minimumSamples(q),
      reason: `too few samples for ${name}: ${d.n}; at least ${minimumSamples(q)} for an interval`,
    };
  // Sign test: under "the q-quantile is within L", at least a share q of the samples is ≤ L.
  const below = countAtOrBelow(d, L);
  const sd = Math.sqrt(d.n * q * (1 - q));
  const zObs = upper(rule.op) ? (d.n * q - below - 0.5) / sd : (below + 0.5 - d.n * q) / sd;
  const pValue = 1 - normalCdf(zObs);
  const within = upper(rule.op) ? ci.high <= L : ci.low >= L;
  const beyond = !within && zObs > lv.zFail;
  const status: GroupOutcome['status'] = within ? 'PASS' : beyond ? 'CANDIDATE' : 'INCONCLUSIVE';
  let samplesToSettle: number | undefined;
  if (status === 'INCONCLUSIVE') {
    const se = (ci.high - ci.low) / (2 * lv.zPass);
    const gap = Math.abs(L - value);
    if (gap > 0) samplesToSettle = Math.ceil(d.n * ((lv.zPass * se) / gap) ** 2);
  }
  return {
    key,
    status,
    pValue,
    value,
    limit: L,
    n: d.n,
    interval: { low: ci.low, high: ci.high, level: lv.level },
    ...(samplesToSettle ? { samplesToSettle } : {}),
    reason: `${name} ${fmt(value, 'ms')} (${pct(lv.level)} CI ${fmt(ci.low, 'ms')}–${fmt(ci.high, 'ms')}, n ${d.n}), allowed ${opText(rule.op)} ${fmt(L, 'ms')}: ${within ? 'within the limit' : beyond ? 'beyond the limit' : 'the interval straddles the limit'}${samplesToSettle ? `; about ${samplesToSettle} samples would settle it` : ''}`,
  };
}

function judgeAbsoluteRate(
  rule: MetricCriterion,
  r: RateCounts | undefined,
  key: string,
  lv: Levels,
  minSamples: number,
): GroupOutcome {
  const L = rule.threshold!;
  if (!r) return { key, status: 'INCONCLUSIVE', reason: `no samples${key ? ` for ${key}` : ''}` };
  if (r.n < Math.max(1, minSamples))
    return {
      key,
      status: 'INCONCLUSIVE',
      reason: `too few samples: ${r.n}, at least ${minSamples}`,
      n: r.n,
      samplesToSettle: minSamples,
    };
  const p = r.x / r.n;
  const ci = wilson(r.x, r.n, lv.zPass);
  // Score test (the test Wilson's interval inverts) against the limit.
  const se0 = Math.sqrt((L * (1 - L)) / r.n);
  const zObs =
    se0 > 0
      ? (upper(rule.op) ? p - L : L - p) / se0
      : (upper(rule.op) ? p > L : p < L)
        ? Number.POSITIVE_INFINITY
        : Number.NEGATIVE_INFINITY;
  const pValue = 1 - normalCdf(zObs);
  const within = upper(rule.op) ? ci.high <= L : ci.low >= L;
  const screen = wilson(r.x, r.n, lv.zFail);
  const beyond = !within && (upper(rule.op) ? screen.low > L : screen.high < L);
  const status: GroupOutcome['status'] = within ? 'PASS' : beyond ? 'CANDIDATE' : 'INCONCLUSIVE';
  let samplesToSettle: number | undefined;
  if (status === 'INCONCLUSIVE' && p !== L) {
    const se = (ci.high - ci.low) / (2 * lv.zPass);
    samplesToSettle = Math.ceil(r.n * ((lv.zPass * se) / Math.abs(L - p)) ** 2);
  }
  return {
    key,
    status,
    pValue,
    value: p,
    limit: L,
    n: r.n,
    interval: { low: ci.low, high: ci.high, level: lv.level },
    ...(samplesToSettle ? { samplesToSettle } : {}),
    reason: `rate ${fmt(p, 'rate')} (${r.x}/${r.n}; ${pct(lv.level)} Wilson CI ${fmt(ci.low, 'rate')}–${fmt(ci.high, 'rate')}), allowed ${opText(rule.op)} ${fmt(L, 'rate')}: ${within ? 'within the limit' : beyond ? 'beyond the limit' : 'the interval straddles the limit'}${samplesToSettle ? `; about ${samplesToSettle} requests would settle it` : ''}`,
  };
}

function unitOf(rule: MetricCriterion): string {
  if (rule.type === 'trend') return rule.relative && rule.relative.slack === 0 ? 'ratio' : 'ms';
  if (rule.type === 'rate') return 'rate';
  return 'count';
}

function ruleText(rule: MetricCriterion, lv: Levels): string {
  const stat =
    rule.type === 'rate' || (rule.type === 'trend' && rule.agg.fn !== 'min' && rule.agg.fn !== 'max');
  if (!stat) return 'exact comparison of the observed value';
  const how = rule.relative
    ? rule.type === 'trend'
      ? 'distribution-free quantile intervals per side (from the histograms), combined as in Price & Bonett'
      : 'Newcombe hybrid score interval for the rate difference'
    : rule.type === 'trend'
      ? rule.agg.fn === 'avg'
        ? 'normal interval for the mean'
        : 'distribution-free order-statistic interval, sign test'
      : 'Wilson score interval, score test';
  return `PASS when the ${pct(lv.level)} interval is wholly within the limit; FAIL when wholly beyond it and significant after Holm–Bonferroni across the gate; INCONCLUSIVE between (${how})`;
}

export function judgeMetric(c: ParsedCriterion, input: GateInput, lv: Levels): Judgement {
  const rule = c.rule as MetricCriterion;
  const unit = unitOf(rule);
  const rule_ = ruleText(rule, lv);
  const label = `${rule.metric}${describeFilter(rule.filter)}`;
  const all = selectItems(c, input, c.environment);
  const { fresh, stale } = byFreshness(all, input.now, c.maxAgeMs);
  if (all.length === 0)
    return noEvidence(unit, rule_, `${label} on ${c.environment}`, `no ${label} samples on ${c.environment}`);
  if (fresh.length === 0)
    return inconclusive(
      unit,
      rule_,
      staleReason(stale, input.now, c.maxAgeMs),
      `fresh ${label} on ${c.environment}`,
    );
  const minSamples = c.spec.minSamples ?? 0;
  const baselineLabel = input.baselineLabel ?? input.baseline;
  if (rule.relative) {
    if (input.incomparable)
      return inconclusive(unit, rule_, `cannot compare with the baseline: ${input.incomparable}`);
    const baseItems = selectItems(c, input, input.baseline);
    if (baseItems.length === 0)
      return noEvidence(
        unit,
        rule_,
        `${label} on ${baselineLabel}`,
        `no ${label} samples on the ${baselineLabel} to compare with`,
      );
    const per = c.spec.per ?? 'series';
    const ts = seriesOf(fresh, input, rule, per);
    const bs = seriesOf(baseItems, input, rule, per);
    if (ts.size === 0 && bs.size === 0)
      return noEvidence(unit, rule_, `${label}`, `no series match ${label}`);
    const keys = [...new Set([...bs.keys(), ...ts.keys()])].sort();
    const groups = keys.map((key) => {
      const t = ts.get(key)?.items ?? [];
      const b = bs.get(key)?.items ?? [];
      return rule.type === 'trend'
        ? judgeRelativeTrend(
            rule,
            t.length ? distributionFor(t) : undefined,
            b.length ? distributionFor(b) : undefined,
            key,
            lv,
            minSamples,
            baselineLabel,
          )
        : rule.type === 'rate'
          ? judgeRelativeRate(rule, rateCounts(t), rateCounts(b), key, lv, minSamples, baselineLabel)
          : judgeRelativeExact(rule, t, b, key);
    });
    return { groups, unit, rule: rule_ };
  }
  const per = c.spec.per ?? [];
  const ts = seriesOf(fresh, input, rule, per);
  if (ts.size === 0) return noEvidence(unit, rule_, label, `no series match ${label}`);
  const groups = [...ts.values()]
    .sort((a, b) => a.key.localeCompare(b.key))
    .map(({ key, items }) => {
      if (rule.type === 'trend') return judgeAbsoluteTrend(rule, distributionFor(items), key, lv, minSamples);
      if (rule.type === 'rate') return judgeAbsoluteRate(rule, rateCounts(items), key, lv, minSamples);
      const v = exactValue(rule, items);
      if (v === undefined) return { key, status: 'INCONCLUSIVE' as const, reason: 'no value recorded' };
      const ok = compareExact(v, rule.op, rule.threshold!);
      return {
        key,
        status: ok ? ('PASS' as const) : ('FAIL' as const),
        value: v,
        limit: rule.threshold!,
        reason: `${aggregationName(rule.agg)} ${v} (exact), allowed ${opText(rule.op)} ${rule.threshold}`,
      };
    });
  return { groups, unit, rule: rule_ };
}

function judgeRelativeExact(
  rule: MetricCriterion,
  t: readonly MetricEvidence[],
  b: readonly MetricEvidence[],
  key: string,
): GroupOutcome {
  const tv = exactValue(rule, t);
  const bv = exactValue(rule, b);
  if (tv === undefined || bv === undefined || bv === null || tv === null)
    return {
      key,
      status: 'INCONCLUSIVE',
      reason: `no ${tv === undefined ? 'target' : 'baseline'} value for ${key || rule.metric}`,
    };
  const limit = rule.relative!.factor * bv + rule.relative!.slack;
  const ok = compareExact(tv, rule.op, limit);
  return {
    key,
    status: ok ? 'PASS' : 'FAIL',
    value: tv,
    limit,
    reason: `${aggregationName(rule.agg)} ${tv} vs baseline ${bv} (exact): allowed ${opText(rule.op)} ${limit}`,
  };
}
