// A team's k6 script's results on one environment as the performance suite's evidence and threshold
// checks. Apart from user-script.ts (the plan) because it needs the evidence and histogram machinery,
// which a plan that will not run (`cutover perf --dry-run`) must not load.
import type { MetricEvidence } from '../../core/evidence.js';
import { parseScenarioThreshold } from '../../core/gates/thresholds.js';
import type { PerformanceScenario } from '../../core/load/scenario.js';
import type { CheckResult } from '../../core/model.js';
import type { ScenarioModule } from '../../runners/load/engine-input.js';
import type { SliceResult } from '../../runners/load/recorder.js';
import { metricEvidence, SUITE, thresholdChecks } from './evidence.js';

/**
 * Whether Cutover evaluates a script's threshold itself: a metric it measures the way k6 does (not
 * iteration_duration, which in a script includes its sleeps and groups), filtered at most by `name`
 * (or a check's name) — the tags its evidence keeps. Anything else keeps k6's verdict.
 */
function evaluable(key: string, source: string): boolean {
  try {
    const t = parseScenarioThreshold(key, source);
    return (
      t.condition.metric !== 'iteration_duration' &&
      Object.keys(t.condition.filter).every((k) => k === 'name' || k === 'check')
    );
  } catch {
    return false;
  }
}

/** k6's threshold entries: strings, or `{ threshold, abortOnFail, delayAbortEval }`. */
function thresholdSources(list: unknown): string[] {
  return (Array.isArray(list) ? list : [list]).flatMap((t) =>
    typeof t === 'string' ? [t] : typeof t?.threshold === 'string' ? [t.threshold] : [],
  );
}

/**
 * Evidence and threshold checks of a script on one environment. Requests are grouped by k6's `name`
 * tag (its URL unless the script names it); each threshold Cutover's grammar can read is evaluated over
 * all blocks merged, as for a defineLoad scenario; any other (a custom metric, a group filter) takes
 * k6's own verdict — crossed in any block fails it; held in every block passes it, except a `count`,
 * which no block alone decides.
 */
export function userScriptResults(
  planned: { module: ScenarioModule },
  r: SliceResult,
  elapsedSeconds: number,
  at: string,
): { evidence: MetricEvidence[]; checks: CheckResult[] } {
  const base = planned.module.scenario;
  const names = [...new Set([...Object.keys(r.durations), ...Object.keys(r.failed)])].sort();
  const scenario = {
    ...base,
    requests: names.map((n) => ({ weight: 1, method: 'GET', path: '/', endpoint: n })),
  } as PerformanceScenario;
  const evidence = metricEvidence(scenario, r, at);
  const thresholds = (planned.module.k6Script!.options.thresholds ?? {}) as Record<string, unknown>;
  const ours: Record<string, string[]> = {};
  const checks: CheckResult[] = [];
  for (const [key, list] of Object.entries(thresholds)) {
    for (const source of thresholdSources(list)) {
      if (evaluable(key, source)) {
        ours[key] = [...(ours[key] ?? []), source];
        continue;
      }
      const crossed = r.k6Crossed?.includes(`${key}: ${source}`) ?? false;
      const judged = (r.k6Summaries ?? 0) > 0;
      const count = /^\s*count\b/.test(source);
      checks.push({
        suite: SUITE,
        environment: r.environment,
        service: base.service,
        check: `${base.name}: ${key} ${source}`,
        status: crossed ? 'fail' : judged && !count ? 'pass' : 'skip',
        reason: crossed
          ? `k6 reported it crossed in at least one block (threshold ${source})`
          : judged && !count
            ? `k6 reported it held in each of ${r.k6Summaries} block(s), so it holds over them all (threshold ${source})`
            : `Cutover cannot evaluate ${key} over the merged blocks, and ${judged ? 'a count held per block does not hold over their sum' : 'no k6 summary judged it'}: not judged`,
        data: { scenario: base.name, metric: key, threshold: source, judgedBy: 'k6' },
        at,
      });
    }
  }
  checks.unshift(...thresholdChecks({ ...scenario, thresholds: ours }, r, elapsedSeconds, at));
  return { evidence, checks };
}
