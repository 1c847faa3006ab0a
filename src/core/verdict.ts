// Fail-closed verdict rules, shared by every gate.
import type { CriterionResult, Verdict } from './model.js';

/**
 * GO only when every blocking criterion is PASS or WAIVED; NO-GO when any blocking criterion FAILs;
 * INCONCLUSIVE otherwise. A gate with no blocking criterion at all has proved nothing: INCONCLUSIVE.
 */
export function combineVerdict(criteria: readonly CriterionResult[]): Verdict {
  const blocking = criteria.filter((c) => c.blocking);
  if (blocking.length === 0) return 'INCONCLUSIVE';
  if (blocking.some((c) => c.status === 'FAIL')) return 'NO-GO';
  if (blocking.every((c) => c.status === 'PASS' || c.status === 'WAIVED')) return 'GO';
  return 'INCONCLUSIVE';
}

const ORDER: Record<CriterionResult['status'], number> = { FAIL: 0, INCONCLUSIVE: 1, WAIVED: 2, PASS: 3 };

/** Blocking failures first, then inconclusive, then the rest; stable within each group. */
export function sortForReading(criteria: readonly CriterionResult[]): CriterionResult[] {
  return [...criteria].sort(
    (a, b) => Number(b.blocking) - Number(a.blocking) || ORDER[a.status] - ORDER[b.status],
  );
}

/** One line that explains a verdict: the blocking criteria that decided it. */
export function summarise(verdict: Verdict, criteria: readonly CriterionResult[]): string {
  const blocking = criteria.filter((c) => c.blocking);
  if (blocking.length === 0) return 'no blocking criterion has evidence to judge';
  if (verdict === 'GO') return `all ${blocking.length} blocking criteria passed`;
  const wanted = verdict === 'NO-GO' ? 'FAIL' : 'INCONCLUSIVE';
  const deciding = blocking.filter((c) => c.status === wanted);
  const shown = deciding.slice(0, 3).map((c) => `${c.id}: ${c.reason}`);
  const more = deciding.length > 3 ? ` (and ${deciding.length - 3} more)` : '';
  return shown.join('; ') + more;
}
