// The contract between a suite and the engine. A suite plans first — reads its input files, decides what it
// will do, and refuses what the user must fix (a UserError: the command exits 2 before any suite sends
// anything, and no run is recorded) — then runs its plan, recording checks and evidence through the
// context. A suite that cannot do its work records that (coverage `could-not-check`) instead of throwing;
// if it throws anyway, the engine records the failure and goes on.
//
// Every suite lives in its own folder, src/suites/<id>/: define.ts (what the user writes: its config
// section and DSL, in zod), plan.ts (pure and printable), run.ts (the I/O, through runners, and this
// object), evidence.ts (results into core's evidence). The engine's registry (src/engine/suites.ts) lists
// them; docs/architecture.md has the recipe for a new one.
import type { ResolvedConfig } from '../config/load.js';
import type { Evidence } from '../core/evidence.js';
import type { FaultSpec } from '../core/faults.js';
import type { CheckResult } from '../core/model.js';
import type { LoadSeriesKey, LoadSeriesPoint } from '../core/series.js';
import type { BackupOptions } from './backup/define.js';
import type { BrowserOptions } from './browser/define.js';
import type { DataOptions } from './data/define.js';
import type { IntegrationOptions } from './integration/define.js';
import type { MonitoringOptions } from './monitoring/define.js';
import type { PerformanceOptions } from './performance/settings.js';
import type { SecurityOptions } from './security/define.js';

/** What a command hands each suite beyond the config, typed per suite (`cutover perf`'s flags, the demo's). */
export interface SuiteOptions {
  backup?: BackupOptions;
  browser?: BrowserOptions;
  data?: DataOptions;
  integration?: IntegrationOptions;
  monitoring?: MonitoringOptions;
  performance?: PerformanceOptions;
  security?: SecurityOptions;
}

/** What a suite sees while it plans, before the run is recorded: everything but the recording. */
export interface SuitePlanContext {
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
  options: SuiteOptions;
  /** Progress text for a person (not recorded); suites call it sparingly. */
  log(line: string): void;
}

export interface SuiteContext extends SuitePlanContext {
  /** The run's folder, for files a suite keeps beside the record (the browser suite's screenshots, traces). */
  runDir?: string;
  check(check: CheckResult): void;
  evidence(item: Evidence): void;
  /** One point of a per-second load series (performance suite), recorded as it arrives. */
  seriesPoint?(key: LoadSeriesKey, point: LoadSeriesPoint): void;
}

export interface Suite<Plan = unknown> {
  id: string;
  title: string;
  /** Part of `cutover run` and `cutover demo` unless --suite narrows the selection. */
  byDefault: boolean;
  /**
   * What the suite will do, decided before any suite sends anything: the plan `run` receives, and what a
   * dry run prints. A mistake the user must fix throws a UserError (exit 2, no run recorded); problems a
   * run can record and carry on from belong in the plan, for `run` to record.
   */
  plan(ctx: SuitePlanContext): Promise<Plan>;
  /** How many checks the plan will record, for the progress view. */
  plannedChecks(plan: Plan, ctx: SuitePlanContext): number;
  run(ctx: SuiteContext, plan: Plan): Promise<void>;
  /** Tools the plan will drive, by kind, recorded in the run's meta and every report's header (`browser`). */
  tools?(plan: Plan): { browser?: string };
}
