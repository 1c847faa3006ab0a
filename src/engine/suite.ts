// What every suite provides to a run: a plan size for progress, and a run that records checks and
// evidence through the context. A suite that cannot do its work records that (coverage
// `could-not-check`) instead of throwing; if it throws anyway, the engine records the failure and goes on.
// Input the user must fix first (a scenario step that could never be sent) is refused earlier, by
// `prepare`, before anything is sent.
import type { ResolvedConfig } from '../config/load.js';
import type { Evidence } from '../core/evidence.js';
import type { FaultSpec } from '../core/faults.js';
import type { CheckResult } from '../core/model.js';
import type { LoadSeriesKey, LoadSeriesPoint } from '../core/series.js';

export interface SuiteContext {
  config: ResolvedConfig;
  /** Selected environments, baseline first. */
  environments: readonly string[];
  /** Selected services. */
  services: readonly string[];
  runId: string;
  now: () => Date;
  signal?: AbortSignal;
  /** Faults the simulator was started with (demo), for suites that simulate parts themselves. */
  faults: readonly FaultSpec[];
  /** Environment variables (secrets are read from here by name, never from the config). */
  env: Readonly<Record<string, string | undefined>>;
  /** Per-suite options from the command line, keyed by suite id. */
  options: Readonly<Record<string, unknown>>;
  check(check: CheckResult): void;
  evidence(item: Evidence): void;
  /** One point of a per-second load series (performance suite), recorded as it arrives. */
  seriesPoint?(key: LoadSeriesKey, point: LoadSeriesPoint): void;
  /** Progress text for a person (not recorded); suites call it sparingly. */
  log(line: string): void;
}

/** What a suite sees while it prepares, before the run is recorded: everything but the recording. */
export type SuitePrepareContext = Omit<SuiteContext, 'check' | 'evidence' | 'seriesPoint'>;

export interface Suite {
  id: string;
  title: string;
  /** Part of `cutover run` and `cutover demo` unless --suite narrows the selection. */
  byDefault: boolean;
  /** How many checks the suite expects to record, for the progress view. */
  plannedChecks(ctx: SuiteContext): number;
  /**
   * Reads and checks the suite's own input files before any suite sends anything. A mistake the user
   * must fix throws a UserError: the command exits 2 and no run is recorded. Problems a run can
   * record and carry on from belong in `run`.
   */
  prepare?(ctx: SuitePrepareContext): Promise<void>;
  run(ctx: SuiteContext): Promise<void>;
}
