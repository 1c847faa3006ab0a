// The result model every suite writes and every gate reads. Plain data, so a verdict can be computed
// again from a run record alone.

export type CheckStatus = 'pass' | 'fail' | 'skip';

/** One observed fact about one service in one environment. */
export interface CheckResult {
  suite: string;
  environment: string;
  service: string;
  /** What was checked: reachable, status, content-type, health, tls, latency, … */
  check: string;
  status: CheckStatus;
  /** Why, in words a person reads in the go/no-go meeting. */
  reason: string;
  /** Measured values behind the reason (status code, latency figures, days to expiry). */
  data?: Record<string, string | number | boolean | null>;
  /** ISO time the check finished. */
  at: string;
}

export type CriterionStatus = 'PASS' | 'FAIL' | 'INCONCLUSIVE' | 'WAIVED';
export type Verdict = 'GO' | 'NO-GO' | 'INCONCLUSIVE';

export interface CriterionResult {
  id: string;
  title: string;
  status: CriterionStatus;
  reason: string;
  /** A blocking criterion decides the verdict; a warning one is only reported. */
  blocking: boolean;
  /** The migration plan's success criterion (1–6) this criterion serves. */
  successCriterion?: number;
  /** The evidence it read, such as `smoke`. */
  evidence?: string;
  /** The measured value, in `unit` (the deciding group's, when judged per group). */
  value?: number | null;
  /** The limit the value is held to, in `unit`. */
  limit?: number | null;
  /** What value and limit measure: `ms`, `ratio`, `rate`, `count`, … */
  unit?: string;
  /** Confidence interval for the value; absent when the value is exact (a count, a sign-off). */
  interval?: { low: number; high: number; level: number };
  /** Samples, requests or items behind the value (target side), and the baseline's when compared. */
  n?: number;
  nBaseline?: number;
  /** The rule that decided, in words. */
  rule?: string;
  /** When INCONCLUSIVE for lack of data: about how many samples per side would settle it. */
  samplesToSettle?: number;
  /** Judged per group (endpoint, service, …): each group's outcome. */
  groups?: CriterionGroup[];
  /** The waiver that applied (WAIVED), or that had expired. */
  waiver?: { owner: string; reason: string; expires: string; expired: boolean; file?: string };
  /** What evidence is missing, when that is why it is INCONCLUSIVE. */
  missing?: string;
}

/** One group of a criterion judged per endpoint, service or series. */
export interface CriterionGroup {
  key: string;
  status: CriterionStatus;
  reason: string;
  value?: number | null;
  limit?: number | null;
  interval?: { low: number; high: number; level: number };
  n?: number;
  nBaseline?: number;
  /**
   * For comparisons with the baseline: the target's and the baseline's own figure, in the criterion's
   * measure (a quantile in ms, a rate as a share, an exact value), so a report can show both sides
   * beside the derived value (`target − 1.1 × baseline`, a rate difference).
   */
  target?: number;
  baseline?: number;
}

export interface GateResult {
  id: string;
  title: string;
  verdict: Verdict;
  /** The reasons that decided the verdict, blocking ones first. */
  summary: string;
  criteria: CriterionResult[];
  /** The migration phase (1–5) and wave the gate decides, for phase gates. */
  phase?: number;
  wave?: string;
  /**
   * Whether the run is judged by this gate: its GO is needed for the run's GO. False for a gate that
   * needs suites or sign-offs the run was not meant to cover (`aside` says which); such a gate is shown,
   * and its failures still make the run NO-GO. A FAIL anywhere counts, whoever wrote the gate.
   */
  decides?: boolean;
  /** Why the run is not judged by this gate, when it is not. */
  aside?: string;
  /** The evidence the gate lacks, one line per criterion that is INCONCLUSIVE for want of it. */
  missing?: string[];
}
