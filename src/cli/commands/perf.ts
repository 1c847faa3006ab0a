// `cutover perf`: the performance suite on its own — the same scenarios on baseline and target (A B A B
// blocks by default) with the embedded engine, k6, or the k6-operator; `--dry-run` prints the plan and
// sends nothing. Safety limits and host checks are applied before any request leaves.
import { resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { UserError } from '../../core/errors.js';
import type { SetupStep } from '../../core/load/scenario.js';
import { appendLine, writeFileAtomic } from '../../record/files.js';
import {
  describePlan,
  type Engine,
  type LoadPlan,
  type PerformanceOptions,
  planPerformance,
} from '../../suites/performance/plan.js';
import { selectedEnvironments } from '../../suites/selection.js';
import type { Io } from '../io.js';
import type { RunFlags } from './run.js';

export interface PerfFlags extends RunFlags {
  scenario?: string[];
  scenarioFile?: string[];
  engine?: Engine;
  parallelism?: string;
  mode?: 'alternating' | 'sequential' | 'interleaved';
  duration?: string;
  block?: string;
  scale?: string;
  warmup?: string;
  threads?: string;
  k6?: string;
  k6Script?: string[];
  k6Env?: string[];
  series?: string;
  dryRun?: boolean;
}

function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UserError(`${flag} ${value}: expected a whole number of at least 1`);
  return n;
}

/** A k6 script gets one service's URL as CUTOVER_BASE_URL. */
function oneService(ids: string[]): string {
  if (ids.length > 1)
    throw new UserError(`--service ${ids.join(',')}: a --k6-script gets one service's URL; name one`);
  return ids[0]!;
}

export function perfOptions(flags: PerfFlags, cwd: string): PerformanceOptions {
  const scale = flags.scale === undefined ? undefined : Number(flags.scale);
  if (scale !== undefined && !(scale > 0))
    throw new UserError(`--scale ${flags.scale}: expected a number above 0`);
  const threads =
    flags.threads === undefined || flags.threads === 'auto'
      ? flags.threads
      : positiveInt('--threads', flags.threads);
  const parallelism = positiveInt('--parallelism', flags.parallelism);
  if (parallelism !== undefined && flags.engine !== 'k6-operator') {
    throw new UserError('--parallelism applies to --engine k6-operator only');
  }
  return {
    ...(flags.scenario ? { scenarios: flags.scenario } : {}),
    ...(flags.scenarioFile ? { scenarioFiles: flags.scenarioFile.map((f) => resolve(cwd, f)) } : {}),
    ...(flags.engine ? { engine: flags.engine } : {}),
    // A TestRun takes seconds to schedule: short alternating blocks would measure mostly start-up.
    ...(flags.mode
      ? { mode: flags.mode }
      : flags.engine === 'k6-operator'
        ? { mode: 'sequential' as const }
        : {}),
    ...(flags.duration ? { duration: flags.duration } : {}),
    ...(flags.block ? { block: flags.block } : {}),
    ...(scale !== undefined ? { scale } : {}),
    ...(flags.warmup ? { warmup: flags.warmup } : {}),
    ...(threads !== undefined ? { threads: threads as number | 'auto' } : {}),
    ...(parallelism !== undefined ? { parallelism } : {}),
    ...(flags.k6 ? { k6Path: flags.k6 } : {}),
    ...(flags.k6Script ? { k6Scripts: flags.k6Script.map((f) => resolve(cwd, f)) } : {}),
    ...(flags.k6Script && flags.service ? { k6Service: oneService(flags.service) } : {}),
    ...(flags.k6Env ? { k6Env: flags.k6Env } : {}),
  };
}

export async function perfCommand(io: Io, flags: PerfFlags): Promise<number> {
  const config = await loadConfig(io.cwd, flags.config);
  const options = perfOptions(flags, io.cwd);
  if (flags.dryRun) {
    // The suite's own plan, as the run would make it (the run plans it once, before sending anything).
    const environments = selectedEnvironments(config, flags.env ? { environments: flags.env } : {});
    const plan = await planPerformance({
      config,
      environments,
      services: Object.keys(config.services),
      runId: 'dry-run',
      now: io.now,
      faults: [],
      env: io.env,
      options: { performance: options },
      log: (line) => io.stderr(`${line}\n`),
    });
    io.stdout(
      flags.json
        ? `${JSON.stringify(dryRunJson(plan))}\n`
        : `${describePlan(plan)}Dry run: nothing was sent.\n`,
    );
    return 0;
  }
  if (flags.series) {
    const file = resolve(io.cwd, flags.series);
    writeFileAtomic(file, '');
    options.onSeries = (point) => appendLine(file, JSON.stringify(point));
  }
  // The run machinery (evidence, gates, reports, histograms) is loaded only for a run: a dry run ends above.
  const { runAndReport } = await import('./run.js');
  const { exitCode } = await runAndReport(io, config, { ...flags, suite: ['performance'] }, 'perf', [], {
    performance: options,
  });
  return exitCode;
}

function dryRunJson(plan: LoadPlan) {
  return {
    dryRun: true,
    engine: plan.engine,
    mode: plan.mode,
    durationMs: plan.durationMs,
    warmupMs: plan.warmupMs,
    expectedRequestsPerEnvironment: plan.expectedRequests,
    limits: plan.limits,
    blocks: plan.blocks,
    scenarios: plan.scenarios.map((s) => ({
      name: s.module.scenario.name,
      service: s.module.scenario.service,
      executor: s.module.scenario.executor.executor,
      durationMs: s.profile.durationMs,
      targets: Object.fromEntries(Object.entries(s.targets).map(([e, t]) => [e, t.baseUrl])),
      skipped: s.skipped,
      // What would be sent once per environment around the load; never headers or bodies (secrets).
      setup: (s.module.scenario.setup ?? []).map(stepJson),
      teardown: (s.module.scenario.teardown ?? []).map(stepJson),
    })),
  };
}

function stepJson(step: SetupStep) {
  return {
    name: step.name,
    method: step.request.method,
    path: step.request.path,
    ...(step.expect?.status !== undefined ? { expectStatus: step.expect.status } : {}),
    captures: Object.keys(step.capture ?? {}),
  };
}
