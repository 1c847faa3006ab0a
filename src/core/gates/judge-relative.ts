// Criteria relative to the baseline: quantile comparisons (ratio or difference with a slack) with
// their intervals, rate differences with Newcombe's interval, exact counters and gauges.
import type { MetricEvidence } from '../evidence.js';
import type { StatDecision } from '../stats/decide.js';
import type { Distribution } from '../stats/distribution.js';
import { normalCdf } from '../stats/normal.js';
import { newcombe, zWhereLowReaches } from '../stats/proportion.js';
import { compareQuantiles, minimumSamples } from '../stats/quantile-ci.js';
import {
  compareExact,
  decide,
  exactValue,
  type Levels,
  opText,
  pct,
  type RateCounts,
  settleNote,
  statusOf,
  upper,
  verb,
} from './metric-series.js';
import { aggregationName } from './metrics.js';
import { fmt, fmtSigned, type GroupOutcome } from './outcome.js';
import type { MetricCriterion } from './parse.js';

export function judgeRelativeTrend(
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

export function judgeRelativeRate(
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
    target: t.x / t.n,
    baseline: b.x / b.n,
    ...(samplesToSettle !== undefined ? { samplesToSettle } : {}),
    reason: `rate ${fmt(t.x / t.n, 'rate')} (${t.x}/${t.n}) vs ${baselineLabel} ${fmt(b.x / b.n, 'rate')} (${b.x}/${b.n}): difference${a === 1 ? '' : ` to ${a} × baseline`} ${fmtSigned(est * 100, '')} pp (${pct(lv.level)} CI ${fmtSigned(shown.low * 100, '')}…${fmtSigned(shown.high * 100, '')} pp), allowed ${opText(rule.op)} ${fmtSigned(limit * 100, '')} pp: ${verb(d)}${settleNote(d)}`,
  };
}

export function judgeRelativeExact(
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
    target: tv,
    baseline: bv,
    reason: `${aggregationName(rule.agg)} ${tv} vs baseline ${bv} (exact): allowed ${opText(rule.op)} ${limit}`,
  };
}
