// What a gate file under gates/ exports: a typed `defineGate` (an identity function, as defineConfig is;
// validation and criterion parsing happen when the gate loads, so every problem is reported with its
// file and criterion, not only the first type error).

export type MetricType = 'trend' | 'rate' | 'counter' | 'gauge';

/** The migration plan's success criteria: 1 no critical issues, 2 performance, 3 functionality, 4 monitoring, 5 backup/restore, 6 documentation. */
export type SuccessCriterion = 1 | 2 | 3 | 4 | 5 | 6;

export interface CriterionSpec {
  /** Unique within the gate, such as `perf.p95`. */
  id: string;
  title: string;
  /** The plan's success criterion (1–6) this criterion serves. */
  serves: SuccessCriterion;
  /** A blocking criterion decides the verdict; a warning one is only reported. @default true */
  blocking?: boolean;
  /**
   * What is judged. One of:
   * - a k6 threshold on a metric, optionally filtered by tags: `http_req_duration{service:rentguy-api}: p(95)<300`;
   * - relative to the baseline: `http_req_duration: p(95) <= baseline * 1.10 + 5ms`, `http_req_failed: rate <= baseline + 0.001`;
   * - a count or ratio: `smoke.failed == 0`, `parity{wave:rentguy}.ratio == 1`, `security{source:posture}.critical == 0`.
   */
  expr?: string;
  /** Instead of expr: a named sign-off in gates/attestations/ (a manual step done by a person). */
  attestation?: string;
  /** How old the evidence may be, such as `24h` or `7d` (a backup older than a day proves nothing). */
  maxAge?: string;
  /** Environment whose evidence is judged. @default "target" */
  environment?: string;
  /** Only evidence recorded by this suite (for metrics several suites may record). */
  suite?: string;
  /**
   * Judge each group of series separately, by these tag keys (`['endpoint']`). Relative criteria
   * default to each series (its full tag set: scenario, service, endpoint); absolute ones merge every
   * matching series, as k6 does.
   */
  per?: string[];
  /** Coverage scopes that must be `complete` before a count of findings can PASS (security). */
  coverage?: string[];
  /** Fewest samples (trend) or requests (rate) per side before the criterion judges at all. */
  minSamples?: number;
}

export interface GateSpec {
  /** Such as `1`, `3-rentguy`, `5`. */
  id: string;
  /** The migration phase (1–5) the gate decides. */
  phase: number;
  /** The wave within phase 3. */
  wave?: string;
  title: string;
  /**
   * @deprecated Ignored; kept so gate files written for earlier versions still load. Which gates judge
   * a run no longer depends on the gate: a run is judged by the gates its suites can serve entirely (or
   * those named with --gate), and a failing criterion in any gate makes it NO-GO.
   */
  simulated?: boolean;
  /** Family-wise false-alarm rate across the gate's statistical criteria. @default 0.05 */
  alpha?: number;
  /** Default evidence age limit for the gate's criteria. @default "7d" */
  maxAge?: string;
  /** Types of custom metrics (k6 Trend/Rate/Counter/Gauge) the criteria use, beyond k6's built-in ones. */
  metrics?: Record<string, MetricType>;
  criteria: CriterionSpec[];
}

export function defineGate(gate: GateSpec): GateSpec {
  return gate;
}
