// What a load engine runs — the embedded engine, k6 and the k6-operator alike: the planned scenarios with
// each environment's base URL, pins and trust, the A/B blocks, and the jobs of one block. The performance
// suite builds it (src/suites/performance/plan.ts); the engines read it and return one result per job.
// The contract lives with the engines, so they depend on nothing of the suite.
import type { Profile } from '../../core/load/profile.js';
import type { PerformanceScenario } from '../../core/load/scenario.js';
import type { SliceResult } from './recorder.js';

export type Engine = 'embedded' | 'k6' | 'k6-operator';

export interface ScenarioModule {
  scenario: PerformanceScenario;
  /** The module's file, without extension: the loader picks `.js` (built) or `.ts` (source). */
  file: string;
  /**
   * A team's own k6 script, run as written (`cutover perf --k6-script`) instead of a defineLoad scenario;
   * `scenario` then only names it and its service (src/runners/k6/user-script.ts).
   */
  k6Script?: UserK6Script;
}

/** A k6 script of the user's: where it is, what it exports, and the options k6 will read from it. */
export interface UserK6Script {
  /** Absolute path of the .js or .ts file. */
  file: string;
  /** Its exported names (default, setup, teardown, handleSummary, scenario exec functions, options). */
  exports: string[];
  /** Its `options`, as its init code computes them. */
  options: Record<string, unknown>;
  /** Whether every scenario is time-based, so the script can be cut into A/B blocks. */
  windowable: boolean;
  /** Per environment, the hosts the config names there: the only ones the script may load. */
  allowedHosts: Record<string, string[]>;
}

export interface EnvTarget {
  baseUrl: string;
  pins: Record<string, string>;
  insecure: boolean;
  ca?: string;
  /**
   * `runId` and the values the scenario's setup captured in this environment, for the requests'
   * placeholders. Set by the suite once the setup has run (a plan alone has none).
   */
  vars?: Record<string, string>;
}

export interface PlannedScenario {
  module: ScenarioModule;
  profile: Profile;
  /** Environments where the scenario's service is deployed, with its base URL. */
  targets: Record<string, EnvTarget>;
  /** Environments where it cannot run, and why. */
  skipped: Record<string, string>;
  /** Only the variables the scenario names, read from the environment. */
  env: Record<string, string | undefined>;
}

export interface Block {
  /** One environment (alternating, sequential), or all of them at once (interleaved). */
  environments: string[];
  fromMs: number;
  toMs: number;
}

/** The part of a load plan an engine reads. */
export interface EnginePlan {
  engine: Engine;
  environments: string[];
  scenarios: PlannedScenario[];
  timeoutMs: number;
  threads: number | 'auto';
  parallelism: number;
  /** The safety limit an engine enforces while it runs: no more requests than this per environment. */
  maxRequests: number;
}

export interface BlockJob {
  planned: PlannedScenario;
  environment: string;
  profile: Profile;
  /** The block's place on the timeline, for a user's k6 script that cuts its own scenarios to it. */
  window?: { fromMs: number; toMs: number };
}

/** An engine runs the jobs of one block concurrently and returns one result per job. */
export type BlockRunner = (jobs: BlockJob[], block: Block, index: number) => Promise<SliceResult[]>;
