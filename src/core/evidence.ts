// Evidence beyond smoke checks, in one model for every source (the embedded load engine, k6, the
// k6-operator, integration parity, Kubernetes and security checks), so one gate can mix them.
// Every item says when it was collected: a gate can refuse evidence that is too old.

/** A k6-style metric series in one environment: trend (latency), rate, counter or gauge, with tags. */
export interface MetricEvidence {
  kind: 'metric';
  suite: string;
  environment: string;
  /** k6's names where they exist: http_req_duration, http_req_failed, http_reqs, iterations, dropped_iterations, checks. */
  name: string;
  type: 'trend' | 'rate' | 'counter' | 'gauge';
  /** Such as service, endpoint, scenario, method, status_class, engine. */
  tags: Record<string, string>;
  at: string;
  /** trend: HdrHistogram, compressed base64, values in microseconds (see core/histogram.ts). */
  histogram?: string;
  /** rate: k6 semantics, rate = passes / (passes + fails). */
  passes?: number;
  fails?: number;
  /** counter */
  count?: number;
  /** gauge */
  value?: number;
}

export type DifferenceKind =
  | 'value'
  | 'type'
  | 'missing'
  | 'extra'
  | 'length'
  | 'order'
  | 'status'
  | 'header';

export interface ParityDifference {
  path: string;
  kind: DifferenceKind;
  /**
   * Each side's value at the path; absent (or undefined) where that side has none — the target's of a
   * `missing` difference, the baseline's of an `extra` one. Optional because JSON drops an undefined
   * value: a record read back has no key there, and must still read.
   */
  baseline?: unknown;
  target?: unknown;
}

/** Functional parity of one scenario step between baseline and target (integration suites). */
export interface ParityEvidence {
  kind: 'parity';
  suite: string;
  /** The target environment compared. */
  environment: string;
  baseline: string;
  scenario: string;
  step: string;
  /** Method and path template, such as `POST /api/bookings`. */
  endpoint: string;
  service?: string;
  /** Pairs of responses compared, and how many matched after noise and ignore rules. */
  compared: number;
  equal: number;
  differences: ParityDifference[];
  /**
   * Paths found noisy (differing between the baseline's answers, clock readings, or noise a recorded
   * baseline carried), not held against the target by value; `[*]` stands for any element.
   */
  noise: string[];
  /**
   * Why the step was not compared (`compared: 0`), as the rest of "step 'X' of scenario 'Y' …":
   * `was not sent on target: needs {{bookingId}}, …`. Such a step is missing evidence.
   */
  reason?: string;
  /** The part of `noise` a recorded baseline keeps (`cutover baseline record`): value and order noise. */
  learnedNoise?: string[];
  at: string;
}

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** A security or Kubernetes finding: what is wrong, where, and how to fix it. */
export interface FindingEvidence {
  kind: 'finding';
  suite: string;
  environment: string;
  /** posture, kube-bench, readiness, inventory, http-security, … */
  source: string;
  check: string;
  severity: Severity;
  /** `Deployment/sevensa-apps/rentguy-api`, `Namespace/sevensa-apps`, `kube-bench 4.2.1`. */
  object: string;
  /** Field path inside the object, such as `spec.template.spec.containers[0].securityContext.privileged`. */
  path: string;
  message: string;
  remedy: string;
  at: string;
}

/**
 * Whether a suite could do its work in an environment. A suite that could not reach its system (API
 * server down, permission missing) records `could-not-check`: its silence is then not read as a pass.
 */
export interface CoverageEvidence {
  kind: 'coverage';
  suite: string;
  environment: string;
  /** The part of the suite, such as `posture` or `kube-bench:node`. */
  scope: string;
  status: 'complete' | 'partial' | 'could-not-check';
  reason: string;
  /** Counts a gate may read, such as checks run, passed, failed. */
  counts?: Record<string, number>;
  /**
   * The one service this coverage is about (the integration suite's steps of a service): it keeps
   * criteria on that service, its wave, tier or phase from passing, and leaves other services' alone.
   */
  service?: string;
  at: string;
}

export type Evidence = MetricEvidence | ParityEvidence | FindingEvidence | CoverageEvidence;
