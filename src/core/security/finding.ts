// What every security check returns: a finding with a severity, the object and field path it is
// about, and the remedy; plus the pass / fail / warn / info tally kube-bench prints, which posture
// counts the same way so both commands' `--json` read alike.
import type { FindingEvidence, Severity } from '../evidence.js';

/** A finding as a check reports it; the evidence it becomes adds the suite, environment, source and time. */
export type SecurityFinding = Pick<
  FindingEvidence,
  'check' | 'severity' | 'object' | 'path' | 'message' | 'remedy'
>;

export interface Totals {
  pass: number;
  fail: number;
  warn: number;
  info: number;
}

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export const emptyTotals = (): Totals => ({ pass: 0, fail: 0, warn: 0, info: 0 });

/** How a finding counts: critical/high/medium fail, low warns, info informs. */
export function outcomeOf(severity: Severity): keyof Totals {
  if (severity === 'info') return 'info';
  if (severity === 'low') return 'warn';
  return 'fail';
}

export function countBySeverity(findings: readonly SecurityFinding[]): Record<Severity, number> {
  const out: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
}

/** Most severe first, then by object and path, so reports read the same on every run. */
export function sortFindings<T extends SecurityFinding>(findings: readonly T[]): T[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      a.object.localeCompare(b.object) ||
      a.path.localeCompare(b.path) ||
      a.check.localeCompare(b.check),
  );
}
