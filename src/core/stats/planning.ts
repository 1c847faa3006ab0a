// Sample-size planning: how many requests per series a relative criterion needs so that, if the target
// really is no worse than the baseline, the gate comes out GO with the wanted probability. Computed
// from the spread the baseline showed, before the cutover window rather than in it.
import { normalQuantile } from './normal.js';

export interface PlanInput {
  /** Per-sample standard deviation of the compared statistic on the analysis scale (one side). */
  spreadPerSample: number;
  /** Allowed margin on the analysis scale when nothing changed (log(factor), or the ms slack left). */
  margin: number;
  /** One-sided risk of a wrong PASS (the criterion's alpha). */
  alpha: number;
  /** Chance the criterion passes when nothing changed. */
  power: number;
}

/** Samples per side; Infinity when the margin is zero or negative (no amount of data can pass it). */
export function samplesPerSide({ spreadPerSample, margin, alpha, power }: PlanInput): number {
  if (!(margin > 0)) return Number.POSITIVE_INFINITY;
  const z = normalQuantile(1 - alpha) + normalQuantile(power);
  // Both sides contribute the same spread: variance of the difference is 2·σ²/n.
  return Math.ceil((2 * (z * spreadPerSample) ** 2) / (margin * margin));
}

/** The power each of m criteria needs for all of them to pass together with probability `gatePower`. */
export function powerPerCriterion(gatePower: number, m: number): number {
  return m <= 1 ? gatePower : gatePower ** (1 / m);
}
