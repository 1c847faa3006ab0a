// Runs a plan block by block (A B A B … by default) with whichever engine, and merges each
// environment's blocks into one result per scenario, so both sides are measured over the same timeline.

import type { BlockJob, BlockRunner } from '../../runners/load/engine-input.js';
import type { SecondReport, SliceResult } from '../../runners/load/recorder.js';
import { mergeSlices } from '../../runners/load/recorder.js';
import { type Block, blockProfile, type LoadPlan } from './plan.js';

export type { BlockJob, BlockRunner, SecondReport };

export interface ComparisonResult {
  /** Per scenario name, per environment: the merged result over all its blocks. */
  results: Map<string, Map<string, SliceResult>>;
  blocksRun: number;
}

function jobsFor(plan: LoadPlan, block: Block): BlockJob[] {
  const jobs: BlockJob[] = [];
  for (const environment of block.environments) {
    for (const planned of plan.scenarios) {
      if (!planned.targets[environment]) continue;
      const profile = blockProfile(planned, block);
      if (profile)
        jobs.push({ planned, environment, profile, window: { fromMs: block.fromMs, toMs: block.toMs } });
    }
  }
  return jobs;
}

export async function runComparison(
  plan: LoadPlan,
  runBlock: BlockRunner,
  options: { signal?: AbortSignal; onBlock?: (b: Block, index: number) => void } = {},
): Promise<ComparisonResult> {
  const parts = new Map<string, Map<string, SliceResult[]>>();
  let blocksRun = 0;
  if (plan.warmupMs > 0) {
    // Warm both sides the same way before measuring; the results are dropped.
    const together = plan.mode === 'interleaved';
    for (const group of together ? [plan.environments] : plan.environments.map((e) => [e])) {
      if (options.signal?.aborted) break;
      const block = { environments: group, fromMs: 0, toMs: plan.warmupMs };
      const jobs = jobsFor(plan, block);
      if (jobs.length > 0) await runBlock(jobs, block, -1);
    }
  }
  for (const [index, block] of plan.blocks.entries()) {
    if (options.signal?.aborted) break;
    const jobs = jobsFor(plan, block);
    if (jobs.length === 0) continue;
    options.onBlock?.(block, index);
    const results = await runBlock(jobs, block, index);
    blocksRun++;
    results.forEach((r, i) => {
      const name = jobs[i]!.planned.module.scenario.name;
      const environment = jobs[i]!.environment;
      let byEnv = parts.get(name);
      if (!byEnv) {
        byEnv = new Map();
        parts.set(name, byEnv);
      }
      const list = byEnv.get(environment) ?? [];
      list.push(r);
      byEnv.set(environment, list);
    });
  }
  const results = new Map<string, Map<string, SliceResult>>();
  for (const [name, byEnv] of parts) {
    results.set(name, new Map([...byEnv].map(([env, list]) => [env, mergeSlices(list)])));
  }
  return { results, blocksRun };
}
