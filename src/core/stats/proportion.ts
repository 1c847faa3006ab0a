// Intervals for rates (error rates, check pass rates): Wilson's score interval for one proportion, and
// the MOVER/Newcombe hybrid score interval for p1 − a·p2 built from two Wilson intervals. Wald
// intervals (p ± z·√(p(1−p)/n)) are wrong exactly where gates live — rare errors, p near 0 — which
// is why neither is used here (Newcombe 1998, Statistics in Medicine 17:873–890, methods 3 and 10).

export interface Interval {
  low: number;
  high: number;
}

/** Wilson score interval for x successes out of n at normal quantile z (two-sided level 1 − 2·Φ(−z)). */
export function wilson(x: number, n: number, z: number): Interval {
  if (n <= 0) return { low: 0, high: 1 };
  const p = x / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Interval for p1 − a·p2 (a ≥ 0) by the method of variance estimates recovery (Zou & Donner 2008),
 * which for a = 1 is Newcombe's hybrid score interval (method 10).
 */
export function newcombe(x1: number, n1: number, x2: number, n2: number, z: number, a = 1): Interval {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const w1 = wilson(x1, n1, z);
  const w2 = wilson(x2, n2, z);
  const d = p1 - a * p2;
  const low = d - Math.sqrt((p1 - w1.low) ** 2 + a * a * (w2.high - p2) ** 2);
  const high = d + Math.sqrt((w1.high - p1) ** 2 + a * a * (p2 - w2.low) ** 2);
  return { low, high };
}

/**
 * The smallest z at which `lowAt(z)` is no longer above `limit`, by bisection: the z-equivalent of the
 * evidence that a quantity exceeds its limit, for intervals that have no closed-form test statistic.
 * `lowAt` must decrease as z grows (every interval here widens with z).
 */
export function zWhereLowReaches(lowAt: (z: number) => number, limit: number): number {
  if (lowAt(0) <= limit) return 0;
  let lo = 0;
  let hi = 1;
  while (lowAt(hi) > limit && hi < 40) hi *= 2;
  if (hi >= 40) return 40;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (lowAt(mid) > limit) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
