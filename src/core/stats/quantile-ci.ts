// Confidence intervals for quantiles and for comparisons of a target quantile with a baseline one,
// distribution-free and computed from histograms.
//
// One quantile: the order statistics whose ranks bracket n·q by z binomial standard deviations
// (Conover, Practical Nonparametric Statistics, §3.2) — no assumption about the latency distribution.
// Two quantiles: Price & Bonett (2002, J. Statist. Comput. Simul. 72:119–124) estimate each side's
// standard error from the width of that side's distribution-free interval, then combine the two as
// independent normals — on the log scale for a ratio (latencies are skewed; ratios are what people
// reason about), on the millisecond scale when the limit has an absolute slack. This is how a
// comparison of two quantiles gets an interval without keeping raw samples.
import { type Distribution, orderStatistic, quantileOf } from './distribution.js';

/** The z of the 95 % interval used only to measure each side's spread (Price & Bonett use 95 %). */
const SPREAD_Z = 1.959963984540054;

// The histogram's resolution (3 significant digits) puts a floor under any spread: two values in one
// bucket are indistinguishable, so an interval never claims more precision than the buckets hold.
const RESOLUTION = 0.001;

export interface QuantileSpread {
  /** The point estimate, ms. */
  value: number;
  /** The distribution-free interval used to measure spread. */
  low: number;
  high: number;
  n: number;
}

/** Ranks of the order statistics that bracket the q-quantile at z, or undefined if n is too small. */
export function bracketRanks(n: number, q: number, z: number): { lo: number; hi: number } | undefined {
  const half = z * Math.sqrt(n * q * (1 - q));
  const lo = Math.floor(n * q - half);
  const hi = Math.ceil(n * q + half) + 1;
  if (lo < 1 || hi > n) return undefined;
  return { lo, hi };
}

/** The distribution-free interval for the q-quantile at normal quantile z; undefined when n is too small. */
export function quantileInterval(d: Distribution, q: number, z: number): QuantileSpread | undefined {
  const ranks = bracketRanks(d.n, q, z);
  if (!ranks) return undefined;
  return {
    value: quantileOf(d, q),
    low: orderStatistic(d, ranks.lo),
    high: orderStatistic(d, ranks.hi),
    n: d.n,
  };
}

/** Fewest samples for which the q-quantile's spread interval exists at all. */
export function minimumSamples(q: number): number {
  let n = 2;
  while (!bracketRanks(n, q, SPREAD_Z)) n = Math.ceil(n * 1.1) + 1;
  return n;
}

/**
 * How much wider the judge's interval for the q-quantile is at n samples than the normal approximation
 * z·√(q(1−q)/n)/f: the bracketing ranks are rounded outwards (and one more at the top), which adds
 * about two ranks — nothing at thousands of samples, a tenth or more at a few dozen. Infinity below
 * the fewest samples the interval exists for.
 */
export function intervalWidening(n: number, q: number): number {
  const ranks = bracketRanks(n, q, SPREAD_Z);
  if (!ranks) return Number.POSITIVE_INFINITY;
  return (ranks.hi - ranks.lo) / (2 * SPREAD_Z * Math.sqrt(n * q * (1 - q)));
}

/** One side's standard error of the q-quantile as the judge would compute it at some n, predicted. */
export interface PredictedError {
  /** The standard error on the log scale and in ms (the judge's logSe and absSe). */
  log: number;
  ms: number;
  /** Recorded samples it was read from: its relative error is about 1/√spanned. */
  spanned: number;
  /** Relative error the histogram's buckets add to it (one bucket at each end). */
  bucketing: number;
}

/**
 * What one side's standard error of the q-quantile will be with n samples, read from a recorded
 * distribution d of the same latencies. The judge's interval at n spans the ranks bracketRanks(n)
 * gives, i.e. the fractions lo/n…hi/n of the distribution. Where d holds more samples than that
 * window needs, the width is read straight from d's order statistics at those fractions — the rank
 * rounding and the shape of the distribution come along, and many recorded samples go into it. Where
 * n exceeds what d can resolve, d's own interval is scaled by the ranks (the density at the quantile,
 * assumed the same in the narrower window). Distribution-free either way; undefined where the judge
 * would not judge n samples, or d is too small to read a spread from.
 */
export function predictedError(d: Distribution, q: number, n: number): PredictedError | undefined {
  const at = bracketRanks(n, q, SPREAD_Z);
  const own = bracketRanks(d.n, q, SPREAD_Z);
  if (!at || !own) return undefined;
  const value = quantileOf(d, q);
  const share = (at.hi - at.lo) / (n + 1);
  const ownShare = (own.hi - own.lo) / (d.n + 1);
  let low: number;
  let high: number;
  let scale = 1;
  let spanned: number;
  if (share >= ownShare) {
    const lo = Math.max(1, Math.round((at.lo * (d.n + 1)) / (n + 1)));
    const hi = Math.min(d.n, Math.round((at.hi * (d.n + 1)) / (n + 1)));
    low = orderStatistic(d, lo);
    high = orderStatistic(d, hi);
    spanned = hi - lo;
  } else {
    low = orderStatistic(d, own.lo);
    high = orderStatistic(d, own.hi);
    scale = share / ownShare;
    spanned = own.hi - own.lo;
  }
  if (!(value > 0 && low > 0)) return undefined;
  const ms = Math.max(((high - low) * scale) / (2 * SPREAD_Z), (value * RESOLUTION) / 2);
  const log = Math.max((Math.log(high / low) * scale) / (2 * SPREAD_Z), RESOLUTION / 2);
  return { log, ms, spanned, bucketing: Math.min(1, (value * RESOLUTION) / Math.max(high - low, 1e-12)) };
}

/**
 * A comparison on an analysis scale: estimate − limit, with a normal standard error. `display` maps
 * an analysis-scale number back to what a person reads (a ratio, or milliseconds).
 */
export interface Comparison {
  estimate: number;
  se: number;
  limit: number;
  scale: 'log-ratio' | 'difference-ms';
}

function logSe(s: QuantileSpread): number {
  const width = Math.log(s.high) - Math.log(s.low);
  return Math.max(width / (2 * SPREAD_Z), RESOLUTION / 2);
}

function absSe(s: QuantileSpread): number {
  return Math.max((s.high - s.low) / (2 * SPREAD_Z), (s.value * RESOLUTION) / 2);
}

/**
 * target_q ≤ factor · baseline_q + slackMs, as a comparison. With no slack it is judged as the log of
 * the ratio target/baseline against log(factor); with a slack, as target − factor·baseline (ms) against
 * the slack.
 */
export function compareQuantiles(
  target: Distribution,
  baseline: Distribution,
  q: number,
  factor: number,
  slackMs: number,
): { comparison: Comparison; target: QuantileSpread; baseline: QuantileSpread } | undefined {
  const t = quantileInterval(target, q, SPREAD_Z);
  const b = quantileInterval(baseline, q, SPREAD_Z);
  if (!t || !b || t.value <= 0 || b.value <= 0) return undefined;
  if (slackMs === 0) {
    return {
      target: t,
      baseline: b,
      comparison: {
        estimate: Math.log(t.value / b.value),
        se: Math.hypot(logSe(t), logSe(b)),
        limit: Math.log(factor),
        scale: 'log-ratio',
      },
    };
  }
  return {
    target: t,
    baseline: b,
    comparison: {
      estimate: t.value - factor * b.value,
      se: Math.hypot(absSe(t), factor * absSe(b)),
      limit: slackMs,
      scale: 'difference-ms',
    },
  };
}

/** Per-sample spread of a comparison: se·√n, so se at another n is spread/√n (both sides scaled). */
export function spreadPerSample(c: Comparison, n: number): number {
  return c.se * Math.sqrt(n);
}
