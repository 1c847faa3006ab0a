// The intermediate result of judging one criterion: its groups (one per endpoint, service or series,
// or a single merged one), each decided or still a FAIL candidate waiting for the gate's Holm step.
import type { CriterionGroup, CriterionStatus } from '../model.js';

export interface GroupOutcome extends Omit<CriterionGroup, 'status'> {
  status: CriterionStatus | 'CANDIDATE';
  /** One-sided p-value of "within the limit", for statistical groups. */
  pValue?: number;
  samplesToSettle?: number;
}

export interface Judgement {
  groups: GroupOutcome[];
  /** The unit of value and limit. */
  unit: string;
  /** The rule that decides, in words. */
  rule: string;
  n?: number;
  /**
   * When the newest item the criterion read on the judged side was collected (a sign-off: its date),
   * fresh or stale: what `cutover status` measures the evidence's age from, against the criterion's limit.
   */
  evidenceAt?: string;
  /** Decided without groups (no evidence, stale, a sign-off). */
  decided?: {
    status: CriterionStatus;
    reason: string;
    missing?: string;
    value?: number | null;
    limit?: number | null;
    n?: number;
  };
}

export function noEvidence(unit: string, rule: string, missing: string, detail?: string): Judgement {
  return {
    groups: [],
    unit,
    rule,
    decided: { status: 'INCONCLUSIVE', reason: `no evidence: ${detail ?? missing}`, missing },
  };
}

export function inconclusive(unit: string, rule: string, reason: string, missing?: string): Judgement {
  return {
    groups: [],
    unit,
    rule,
    decided: { status: 'INCONCLUSIVE', reason, ...(missing ? { missing } : {}) },
  };
}

/** Formats a number for a reason: ms with sensible precision, ratios to 3 places, rates as percent. */
export function fmt(value: number, unit: string): string {
  if (!Number.isFinite(value)) return String(value);
  if (unit === 'ms')
    return `${Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2)} ms`;
  if (unit === 'ratio') return value.toFixed(3);
  if (unit === 'rate') return `${(value * 100).toFixed(value < 0.01 ? 3 : 2)} %`;
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}

export function fmtSigned(value: number, unit: string): string {
  return `${value >= 0 ? '+' : '−'}${fmt(Math.abs(value), unit)}`;
}

/** The newest of the items' `at` times (ISO), or undefined when none has a valid one. */
export function newestAt(items: readonly { at: string }[]): string | undefined {
  let best: number | undefined;
  let at: string | undefined;
  for (const item of items) {
    const t = Date.parse(item.at);
    if (Number.isFinite(t) && (best === undefined || t > best)) {
      best = t;
      at = item.at;
    }
  }
  return at;
}

/** The judgement with the time of the newest evidence it read, when there was any. */
export function withEvidenceAt(j: Judgement, items: readonly { at: string }[]): Judgement {
  const at = newestAt(items);
  return at === undefined ? j : { ...j, evidenceAt: at };
}
