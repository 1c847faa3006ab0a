// What was decided, as every report opens with it: the run's verdict and why, one line per gate (its
// verdict, whether it sets the run's, the blocking criteria that did not pass), and how far the evidence
// goes toward each of the plan's six success criteria. The words are chosen here once; report.md, the
// step summary, report.html and the console render them.
import type { GateResult, Verdict } from '../core/model.js';
import { type SuccessCriterionEvidence, successCriteriaEvidence } from '../core/success-criteria.js';
import { sortForReading } from '../core/verdict.js';
import type { RunRecord } from '../record/run-schema.js';

/**
 * Whether a gate sets the run's verdict, in words ('' when it does). With verdictReason below, the
 * whole of how the reports read `decides`: when which gates decide changes, these change with it.
 */
export function gateRole(gate: Pick<GateResult, 'decides'>): string {
  return gate.decides === false ? 'shown; does not set this run’s verdict' : '';
}

/**
 * Why the run has its verdict, from the gates that set it (not from those only shown beside it): the
 * gates that are NO-GO (or INCONCLUSIVE) with their own reasons, or, for GO, which gates agreed.
 */
export function verdictReason(gates: RunRecord['gates'], verdict: Verdict): string {
  const deciding = gates.filter((g) => g.decides !== false);
  if (deciding.length === 0) return '';
  if (verdict === 'GO') return `every deciding gate is GO (${deciding.map((g) => g.id).join(', ')})`;
  const matching = deciding.filter((g) => g.verdict === verdict);
  if (matching.length === 1) return `gate ${matching[0]!.id}: ${matching[0]!.summary}`;
  const shown = matching.slice(0, 2).map((g) => `gate ${g.id}: ${g.summary}`);
  const more =
    matching.length > 2
      ? ` | and gates ${matching
          .slice(2)
          .map((g) => g.id)
          .join(', ')}`
      : '';
  return shown.join(' | ') + more;
}

const MAX_REASONS = 3;

/**
 * The blocking reasons of a gate in one line: the blocking criteria that failed or are undecided, each
 * with its reason, then those without evidence in this run by id alone; a GO gate's summary otherwise.
 */
export function blockingText(gate: GateResult): string {
  const open = sortForReading(
    gate.criteria.filter((c) => c.blocking && (c.status === 'FAIL' || c.status === 'INCONCLUSIVE')),
  );
  if (open.length === 0) return gate.summary;
  const unevidenced = open.filter((c) => c.status === 'INCONCLUSIVE' && c.missing !== undefined);
  const judged = open.filter((c) => !unevidenced.includes(c));
  const parts = judged.slice(0, MAX_REASONS).map((c) => `${c.id} ${c.status}: ${c.reason}`);
  if (judged.length > MAX_REASONS) parts.push(`and ${judged.length - MAX_REASONS} more`);
  if (unevidenced.length > 0)
    parts.push(`no evidence in this run: ${unevidenced.map((c) => c.id).join(', ')}`);
  return parts.join('; ');
}

export interface GateLine {
  gate: GateResult;
  role: string;
  blocking: string;
}

export interface Decision {
  verdict: Verdict;
  /** Why the run has its verdict ('' when no gate sets it). */
  why: string;
  gates: GateLine[];
  successCriteria: SuccessCriterionEvidence[];
}

export function decisionOf(record: Pick<RunRecord, 'verdict' | 'gates'>): Decision {
  const verdict = record.verdict ?? 'INCONCLUSIVE';
  return {
    verdict,
    why: verdictReason(record.gates, verdict),
    gates: record.gates.map((gate) => ({ gate, role: gateRole(gate), blocking: blockingText(gate) })),
    successCriteria: successCriteriaEvidence(record.gates),
  };
}
