// Sample-size planning: how many requests per series a relative criterion needs so that, if the target
// really is no worse than the baseline, the gate comes out GO with the wanted probability. Computed
// from the spread the baseline showed, before the cutover window rather than in it.
//
// The criterion passes when estimate + z₁₋α·se ≤ limit. With nothing changed the estimate sits a
// margin below the limit and varies with its actual standard deviation sd(n), while the judge uses
// its own estimate se(n) of it (for a quantile, from the width of an order-statistic interval whose
// ranks are rounded outwards — wider than sd(n) at a few dozen samples). It passes with probability
// Φ((margin − z₁₋α·se(n)) / sd(n)); the plan is the smallest n where that reaches the power, never
// fewer than the judge needs to judge at all.
import { normalQuantile } from './normal.js';

/** Standard errors of the compared difference at some n per side: the judge's, and the actual one. */
export interface Errors {
  judged: number;
  actual: number;
}

export interface PlanInput {
  /** The difference's errors at n samples per side; undefined where the judge does not judge n. */
  errorsAt: (n: number) => Errors | undefined;
  /** Allowed margin on the analysis scale when nothing changed (log(factor), or the ms slack left). */
  margin: number;
  /** One-sided risk of a wrong PASS (the criterion's alpha). */
  alpha: number;
  /** Chance the criterion passes when nothing changed. */
  power: number;
  /** Fewest samples per side the criterion is judged with at all (below it, INCONCLUSIVE). */
  minimum?: number;
}

const LIMIT = 1e12;

/** The errors of a difference of two sides with a per-sample standard deviation σ each: √2·σ/√n. */
export function normalErrors(spreadPerSample: number): (n: number) => Errors {
  return (n) => {
    const se = (Math.SQRT2 * spreadPerSample) / Math.sqrt(n);
    return { judged: se, actual: se };
  };
}

/** Samples per side; Infinity when the margin is zero or negative (no amount of data can pass it). */
export function samplesPerSide({ errorsAt, margin, alpha, power, minimum = 1 }: PlanInput): number {
  if (!(margin > 0)) return Number.POSITIVE_INFINITY;
  const zAlpha = normalQuantile(1 - alpha);
  const zPower = normalQuantile(power);
  const enough = (n: number) => {
    const e = errorsAt(n);
    return e !== undefined && margin - zAlpha * e.judged >= zPower * e.actual;
  };
  let low = Math.max(1, Math.ceil(minimum));
  if (enough(low)) return low;
  let high = low;
  while (!enough(high)) {
    low = high;
    high = Math.ceil(high * 1.5) + 1;
    if (high > LIMIT) return Number.POSITIVE_INFINITY;
  }
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (enough(mid)) high = mid;
    else low = mid;
  }
  return high;
}

/** The power each of m criteria needs for all of them to pass together with probability `gatePower`. */
export function powerPerCriterion(gatePower: number, m: number): number {
  return m <= 1 ? gatePower : gatePower ** (1 / m);
}

/**
 * How far a spread read from k samples between two order statistics may be off: the true spread lies
 * within [low, high] × the estimate with two-sided confidence `level`. The k samples between the two
 * order statistics cover a share of the distribution that varies like Gamma(k)/n (the spacing of
 * uniform order statistics), so the spread estimate varies by about 1/√k; the Gamma quantiles come
 * from the Wilson–Hilferty cube-root approximation (good to a few per cent from k ≈ 5).
 */
export function spreadFactorRange(k: number, level = 0.9): { low: number; high: number } {
  if (!(k > 0)) return { low: 0, high: Number.POSITIVE_INFINITY };
  const z = normalQuantile(1 - (1 - level) / 2);
  const gamma = (zp: number) => k * Math.max(0, 1 - 1 / (9 * k) + zp / (3 * Math.sqrt(k))) ** 3;
  const upper = gamma(z);
  const lower = gamma(-z);
  return { low: k / upper, high: lower > 0 ? k / lower : Number.POSITIVE_INFINITY };
}
