// Absolute thresholds in k6's syntax, judged with an interval where the value is an estimate:
// quantiles by order statistics and a sign test, means by a normal interval, rates by Wilson's
// interval and the score test; min and max are observations, compared exactly.
import {
  countAtOrBelow,
  type Distribution,
  maxOf,
  meanOf,
  minOf,
  quantileOf,
} from '../stats/distribution.js';
import { normalCdf } from '../stats/normal.js';
import { wilson } from '../stats/proportion.js';
import { minimumSamples, quantileInterval } from '../stats/quantile-ci.js';
import {
  compareExact,
  decide,
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
import { fmt, type GroupOutcome } from './outcome.js';
import type { MetricCriterion } from './parse.js';

/** The INCONCLUSIVE outcome of a group with no samples (n undefined) or fewer than the configured minimum. */
function shortfall(key: string, n: number | undefined, minSamples: number): GroupOutcome {
  if (n === undefined)
    return { key, status: 'INCONCLUSIVE', reason: `no samples${key ? ` for ${key}` : ''}` };
  return {
    key,
    status: 'INCONCLUSIVE',
    reason: `too few samples: ${n}, at least ${minSamples}`,
    n,
    samplesToSettle: minSamples,
  };
}

export function judgeAbsoluteTrend(
  rule: MetricCriterion,
  d: Distribution | undefined,
  key: string,
  lv: Levels,
  minSamples: number,
): GroupOutcome {
  const name = aggregationName(rule.agg);
  const L = rule.threshold!;
  if (!d || d.n < Math.max(1, minSamples)) return shortfall(key, d?.n, minSamples);
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

export function judgeAbsoluteRate(
  rule: MetricCriterion,
  r: RateCounts | undefined,
  key: string,
  lv: Levels,
  minSamples: number,
): GroupOutcome {
  const L = rule.threshold!;
  if (!r || r.n < Math.max(1, minSamples)) return shortfall(key, r?.n, minSamples);
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
