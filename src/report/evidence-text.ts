// The evidence a gate's one-line reason can only count or hint at, in the shape every report lists it:
// each parity difference with both values, and each security finding. Shared by report.md,
// report.html and report.json, so the three list the same items in the same order.
import type { FindingEvidence, ParityDifference, ParityEvidence } from '../core/evidence.js';
import { sortFindings } from '../core/security/finding.js';
import type { RunRecord } from '../record/run-schema.js';

/** A difference's value longer than this is cut in the Markdown and HTML tables (run.json holds it whole). */
const MAX_VALUE_CHARS = 160;

/**
 * A parity value as JSON, so its kind shows: the string "17.5" reads `"17.5"` and the number 17.5 reads
 * `17.5` (a `type` difference between them would otherwise read `17.5 | 17.5`). Long values are cut.
 */
export function differenceValue(value: unknown): string {
  if (value === undefined) return '(absent)';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}… (${text.length} chars)` : text;
}

export interface DifferenceRow {
  step: ParityEvidence;
  difference: ParityDifference;
}

/** The parity evidence of the run, and every difference of the steps that differed, in recorded order. */
export function parityOf(record: Pick<RunRecord, 'evidence'>): {
  items: ParityEvidence[];
  rows: DifferenceRow[];
} {
  const items = record.evidence.filter((e): e is ParityEvidence => e.kind === 'parity');
  const rows = items
    .filter((p) => p.equal < p.compared)
    .flatMap((step) => step.differences.map((difference) => ({ step, difference })));
  return { items, rows };
}

/** The run's security findings, most severe first (the order `cutover security` prints them in). */
export function findingsOf(record: Pick<RunRecord, 'evidence'>): FindingEvidence[] {
  const findings = record.evidence.filter((e): e is FindingEvidence => e.kind === 'finding');
  return sortFindings(findings);
}
