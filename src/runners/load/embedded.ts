// The embedded engine as a block runner: the load threads run each block's jobs and merge their slices.
import type { BlockRunner, EnginePlan, PlannedScenario } from './engine-input.js';
import type { SeriesPoint } from './series.js';
import { type LoadJob, LoadThreads, threadsFor } from './workers.js';

export function embeddedEngine(
  plan: EnginePlan,
  options: { signal?: AbortSignal; onSeries?: (p: SeriesPoint) => void } = {},
): { runBlock: BlockRunner; close: () => Promise<void>; threads: number } {
  const allJobs: LoadJob[] = plan.scenarios.flatMap((s) =>
    Object.entries(s.targets).map(([environment, t]) => ({
      scenario: s.module.scenario,
      file: s.module.file,
      spec: toSpec(plan, s, environment, t, s.profile),
    })),
  );
  const threads = LoadThreads.start(threadsFor(allJobs, plan.threads));
  // One counter for the whole run, shared with the threads, so maxRequests caps the run, not a slice.
  const budget = new Int32Array(new SharedArrayBuffer(4));
  return {
    threads: threads.count,
    runBlock: (jobs, _block, index) =>
      threads.run(
        jobs.map((j) => ({
          scenario: j.planned.module.scenario,
          file: j.planned.module.file,
          spec: {
            ...toSpec(plan, j.planned, j.environment, j.planned.targets[j.environment]!, j.profile),
            budget,
          },
        })),
        {
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.onSeries
            ? { onSeries: (p: SeriesPoint) => options.onSeries?.({ ...p, block: index }) }
            : {}),
        },
      ),
    close: () => threads.close(),
  };
}

function toSpec(
  plan: EnginePlan,
  s: PlannedScenario,
  environment: string,
  t: PlannedScenario['targets'][string],
  profile: LoadJob['spec']['profile'],
): LoadJob['spec'] {
  return {
    scenario: s.module.scenario.name,
    environment,
    baseUrl: t.baseUrl,
    pins: t.pins,
    ...(t.insecure ? { insecure: true } : {}),
    ...(t.ca ? { ca: t.ca } : {}),
    timeoutMs: plan.timeoutMs,
    profile,
    maxRequests: plan.maxRequests,
    env: s.env,
    ...(t.vars ? { vars: t.vars } : {}),
  };
}
