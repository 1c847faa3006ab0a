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
}

export interface GateResult {
  id: string;
  title: string;
  verdict: Verdict;
  /** The reasons that decided the verdict, blocking ones first. */
  summary: string;
  criteria: CriterionResult[];
}
