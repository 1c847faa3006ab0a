// The decision rule every statistical criterion shares: PASS when the whole one-sided interval is
// within the limit, a FAIL candidate when the evidence that it is beyond the limit is strong enough
// (its p-value then goes through Holm's procedure with the gate's other tests), INCONCLUSIVE between —
// and then about how many samples would settle it.
import { normalCdf } from './normal.js';

export interface StatDecision {
  /** within: PASS; beyond: a FAIL candidate (p-value for Holm); undecided: the interval straddles. */
  side: 'within' | 'beyond' | 'undecided';
  /** One-sided p-value of "not beyond the limit" (small = strong evidence of a violation). */
  pValue: number;
  /** Samples per side that would settle an undecided comparison if the estimate holds; Infinity if on the limit. */
  samplesToSettle?: number;
}

/**
 * A comparison on a normal scale: estimate with standard error against an upper limit.
 * `zPass` is the one-sided quantile for PASS (the risk of a wrong PASS), `zFail` the unadjusted
 * quantile a FAIL candidate must at least clear (Holm may then ask for more).
 */
export function decideUpper(
  estimate: number,
  se: number,
  limit: number,
  n: number,
  zPass: number,
  zFail: number,
): StatDecision {
  const pValue = se > 0 ? 1 - normalCdf((estimate - limit) / se) : estimate > limit ? 0 : 1;
  if (estimate + zPass * se <= limit) return { side: 'within', pValue };
  if (estimate - zFail * se > limit) return { side: 'beyond', pValue };
  const gap = Math.abs(limit - estimate);
  const z = estimate <= limit ? zPass : zFail;
  const samplesToSettle = gap === 0 ? Number.POSITIVE_INFINITY : Math.ceil(n * ((z * se) / gap) ** 2);
  return { side: 'undecided', pValue, samplesToSettle };
}
