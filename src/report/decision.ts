// What was decided, as every report opens with it: the run's verdict and why, one line per gate (its
// verdict, whether it sets the run's, the blocking criteria that did not pass), and how far the evidence
// goes toward each of the plan's six success criteria. The words are chosen here once; report.md, the
// step summary, report.html and the console render them.
import type { GateResult, Verdict } from '../core/model.js';
import { judgeRun } from '../core/run-verdict.js';
import { type SuccessCriterionEvidence, successCriteriaEvidence } from '../core/success-criteria.js';
import { sortForReading } from '../core/verdict.js';
import type { RunRecord } from '../record/run-schema.js';

/**
 * Whether the run is judged by a gate, in words ('' when it is): a gate aside says why it is aside and
 * that its failures still count (core/run-verdict.ts). With verdictReason below, the whole of how the
 * reports read `decides`.
 */
export function gateRole(gate: Pick<GateResult, 'decides' | 'aside'>): string {
  if (gate.decides !== false) return '';
  return `not judging this run${gate.aside ? ` (${gate.aside})` : ''}; a failure here still counts`;
}

/**
 * Why the run has its verdict: the reason it was judged with (recorded as `verdictReason`), or, for a
 * record from before reasons were recorded, the same rule applied to its gates.
 */
export function verdictReason(record: Pick<RunRecord, 'gates' | 'verdictReason'>): string {
  return record.verdictReason ?? judgeRun(record.gates).reason;
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

export function decisionOf(record: Pick<RunRecord, 'verdict' | 'gates' | 'verdictReason'>): Decision {
  const verdict = record.verdict ?? 'INCONCLUSIVE';
  return {
    verdict,
    why: verdictReason(record),
    // The first screen's table says only whether the gate judges the run; its section says why not.
    gates: record.gates.map((gate) => ({
      gate,
      role: gate.decides === false ? 'not judging this run' : '',
      blocking: blockingText(gate),
    })),
    successCriteria: successCriteriaEvidence(record.gates),
  };
}
