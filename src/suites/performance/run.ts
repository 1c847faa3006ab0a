// The performance suite: the same scenarios on baseline and target, in alternating blocks by default,
// with the embedded engine, k6 or the k6-operator; the results become evidence for the gates' relative
// criteria and checks for the scenarios' own thresholds.

import { UserError } from '../../core/errors.js';
import { formatDuration } from '../../core/load/profile.js';
import { embeddedEngine } from '../../runners/load/embedded.js';
import type { SliceResult } from '../../runners/load/recorder.js';
import type { SeriesPoint } from '../../runners/load/series.js';
import type { Suite, SuiteContext } from '../suite.js';
import { type BlockRunner, runComparison } from './blocks.js';
import { framingText, metricEvidence, SUITE, summaryLine, thresholdChecks } from './evidence.js';
import { type LoadPlan, type PerformanceOptions, planPerformance } from './plan.js';
import { K6_IMAGE } from './settings.js';
import { ScenarioSetups } from './setup.js';
import { SeriesTimeline } from './timeline.js';
import { userScriptResults } from './user-script-results.js';

// The k6 and k6-operator engines are imported only by a run on them: the operator's client-node costs
// about 0.6 s of CPU to import and the k6 bundler's esbuild 0.07 s, which every `cutover perf` on the
// embedded engine would otherwise pay inside the process the load benchmark measures.
const k6Engine: typeof import('../../runners/k6/engine.js').k6Engine = async (...args) =>
  (await import('../../runners/k6/engine.js')).k6Engine(...args);
const operatorEngine: typeof import('../../runners/k6/operator.js').operatorEngine = async (...args) =>
  (await import('../../runners/k6/operator.js')).operatorEngine(...args);

export interface EngineHandle {
  runBlock: BlockRunner;
  close: () => Promise<void>;
}

/** Where the k6-operator runs the load: the config's Kubernetes target, and the runner image. */
function operatorTarget(ctx: SuiteContext) {
  const target = ctx.config.environments.target;
  if (target?.kind !== 'kubernetes')
    throw new UserError('--engine k6-operator needs a kubernetes target environment in the config');
  const operator = ctx.config.performance.operator;
  return {
    cluster: {
      ...(target.kubeconfig ? { kubeconfig: target.kubeconfig } : {}),
      context: target.context,
      namespaces: target.namespaces,
      baseDir: ctx.config.rootDir,
    },
    ...(operator?.namespace ? { namespace: operator.namespace } : {}),
    image: operator?.image ?? K6_IMAGE,
  };
}

async function startEngine(
  plan: LoadPlan,
  ctx: SuiteContext,
  options: PerformanceOptions,
  timeline: SeriesTimeline,
): Promise<EngineHandle> {
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  const onSeries = ({ histogram, ...second }: SeriesPoint) => {
    timeline.add({ ...second, ...(histogram ? { histogram } : {}) });
    // Callers (perf --series) get every second at full resolution, without the in-process histogram.
    options.onSeries?.(second);
  };
  switch (plan.engine) {
    case 'embedded':
      return embeddedEngine(plan, { ...signal, onSeries });
    case 'k6':
      return k6Engine(plan, {
        ...(options.k6Path ? { k6Path: options.k6Path } : {}),
        env: ctx.env,
        ...signal,
        log: ctx.log,
        onSeries,
      });
    case 'k6-operator':
      return operatorEngine(plan, {
        ...operatorTarget(ctx),
        runId: ctx.runId,
        env: ctx.env,
        ...signal,
        log: ctx.log,
        onSeries,
      });
  }
}

/**
 * The demo's short comparison: every scenario compressed to 5 s per side at twice its rate, in 1 s
 * A/B blocks after a 0.5 s warm-up, so every endpoint gets a few hundred samples per side. (Not
 * interleaved: in the demo one simulator process serves both sides, and loading both at once doubles
 * its load past what a small shared machine serves without queueing.)
 */
export const DEMO_LOAD: PerformanceOptions = {
  duration: '5s',
  block: '1s',
  scale: 2,
  warmup: '500ms',
  // One load thread: the demo's simulator shares the process and the machine's cores.
  threads: 1,
};

/** Requests per outcome class over every endpoint: `2xx` … `5xx`, `refused`, `reset`, `timeout`, `tls`, … */
function outcomeCounts(r: SliceResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const byClass of Object.values(r.durations)) {
    for (const [cls, v] of Object.entries(byClass)) out[cls] = (out[cls] ?? 0) + v.count;
  }
  return out;
}

export const performanceSuite: Suite<LoadPlan> = {
  id: SUITE,
  title: 'Performance: the same load on baseline and target',
  // Opt-in (`--suite performance`, `cutover perf`, and always in `cutover demo`): a full load run takes
  // minutes and sends real traffic, which a smoke-and-parity run should not do unasked.
  byDefault: false,
  plan: planPerformance,
  plannedChecks: (plan) =>
    plan.scenarios.reduce((n, { module: { scenario }, targets }) => {
      const thresholds = Object.values(scenario.thresholds ?? {}).flat().length;
      // One check each for a setup and a teardown, per environment.
      const phases = (scenario.setup?.length ? 1 : 0) + (scenario.teardown?.length ? 1 : 0);
      return n + (thresholds + phases) * Object.keys(targets).length;
    }, 0),
  run: async (ctx, plan) => {
    const options = ctx.options.performance ?? {};
    if (plan.scenarios.length === 0)
      ctx.log('performance: no scenario loads a selected service; nothing sent');
    const at = () => ctx.now().toISOString();
    for (const s of plan.scenarios) {
      for (const [environment, reason] of Object.entries(s.skipped)) {
        ctx.evidence({
          kind: 'coverage',
          suite: SUITE,
          environment,
          scope: s.module.scenario.name,
          status: 'could-not-check',
          reason,
          at: at(),
        });
      }
    }
    if (plan.scenarios.length === 0) return;
    for (const s of plan.scenarios) {
      const unset = Object.keys(s.env).filter((k) => s.env[k] === undefined);
      if (unset.length > 0)
        ctx.log(`performance: ${s.module.scenario.name} reads ${unset.join(', ')}, which is not set`);
    }
    // Once per environment, before the warm-up and the blocks, and not timed: each scenario's setup.
    // A scenario whose setup fails somewhere is taken off that environment (recorded with the reason).
    const setups = new ScenarioSetups(plan, ctx);
    let comparison: Awaited<ReturnType<typeof runComparison>>;
    try {
      await setups.setUp();
      if (!plan.scenarios.some((s) => Object.keys(s.targets).length > 0)) {
        ctx.log('performance: no scenario can run on any environment; no load sent');
        return;
      }
      // The per-second series goes into the run record as it arrives (the embedded engine each second,
      // k6 and the k6-operator after each block), so a killed run keeps what it measured up to the kill.
      const timeline = new SeriesTimeline(plan, SUITE, (key, point) => ctx.seriesPoint?.(key, point));
      const engine = await startEngine(plan, ctx, options, timeline);
      ctx.log(
        `performance: ${plan.scenarios.length} scenario(s), ${formatDuration(plan.durationMs)} per environment, ${plan.mode} (${plan.blocks.length} ${plan.blocks.length === 1 ? 'block' : 'blocks'}), engine ${plan.engine}`,
      );
      try {
        comparison = await runComparison(plan, engine.runBlock, ctx.signal ? { signal: ctx.signal } : {});
      } finally {
        await engine.close();
        timeline.flush();
      }
    } finally {
      // After the last block, also after a failure or Ctrl-C: what the setup created is cleaned up.
      await setups.tearDown();
    }
    for (const s of plan.scenarios) {
      const sc = s.module.scenario;
      for (const environment of Object.keys(s.targets)) {
        const r = comparison.results.get(sc.name)?.get(environment);
        if (!r) {
          ctx.evidence({
            kind: 'coverage',
            suite: SUITE,
            environment,
            scope: sc.name,
            status: 'could-not-check',
            reason: 'the load was interrupted before this scenario ran here',
            at: at(),
          });
          continue;
        }
        if (r.incomplete?.length) {
          // Measurements that cannot be taken as whole (a k6-operator runner whose histogram disagrees
          // with what it sent) are not evidence: the gates judging this scenario here say INCONCLUSIVE.
          const reason = `measurements incomplete: ${r.incomplete.join('; ')}`;
          for (const check of thresholdChecks(sc, r, s.profile.durationMs / 1000, at()))
            ctx.check({ ...check, status: 'skip', reason, data: { scenario: sc.name } });
          ctx.evidence({
            kind: 'coverage',
            suite: SUITE,
            environment,
            scope: sc.name,
            status: 'could-not-check',
            reason,
            at: at(),
          });
          ctx.log(`performance: ${sc.name} on ${environment}: ${reason}`);
          continue;
        }
        const judged = s.module.k6Script
          ? userScriptResults(s, r, s.profile.durationMs / 1000, at())
          : {
              evidence: metricEvidence(sc, r, at()),
              checks: thresholdChecks(sc, r, s.profile.durationMs / 1000, at()),
            };
        for (const item of judged.evidence) ctx.evidence(item);
        for (const check of judged.checks) ctx.check(check);
        const answered = Object.values(r.failed).reduce((n, f) => n + f.ok, 0);
        ctx.evidence({
          kind: 'coverage',
          suite: SUITE,
          environment,
          scope: sc.name,
          status: r.stoppedBy ? 'partial' : 'complete',
          reason: `${
            r.stoppedBy
              ? `stopped early: ${r.stoppedBy}`
              : `${plan.engine} engine, ${formatDuration(s.profile.durationMs)}`
          }${framingText(r)}`,
          counts: {
            iterations: r.iterations,
            answered,
            dropped: r.dropped,
            interrupted: r.interrupted,
            maxConcurrent: r.maxConcurrent,
            ...(r.framing ? { framingFaults: r.framing.count } : {}),
            ...outcomeCounts(r),
          },
          at: at(),
        });
        ctx.log(summaryLine(sc, r));
      }
    }
  },
};
