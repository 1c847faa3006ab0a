// A k6 result made elsewhere (k6 Cloud, a CI job), as the performance suite's evidence for one
// environment (`cutover import k6`), so gates judge load a team ran on its own infrastructure.
// JSON-lines output holds every sample: it becomes exactly what `cutover perf --k6-script` records.
// A summary holds aggregates only — no histogram — so it gives no latency evidence at all: its error
// rate, request count and checks are exact counts and are recorded, its percentiles are only named in
// the coverage, and every latency criterion stays INCONCLUSIVE on it instead of passing on point
// estimates. Its thresholds carry k6's own verdict over the whole run.
import type { CoverageEvidence, Evidence, MetricEvidence } from '../../core/evidence.js';
import type { PerformanceScenario } from '../../core/load/scenario.js';
import type { CheckResult } from '../../core/model.js';
import type { K6Result, K6SummaryResult } from '../../runners/k6/k6-result-file.js';
import type { UserK6Script } from '../../runners/load/engine-input.js';
import { SUITE } from './evidence.js';
import { userScriptResults } from './user-script-results.js';

export interface ImportTarget {
  scenario: string;
  service: string;
  environment: string;
  /** The file as the user named it, for the coverage's reason. */
  file: string;
  at: string;
}

export function importedEvidence(
  res: K6Result,
  t: ImportTarget,
): { evidence: Evidence[]; checks: CheckResult[] } {
  if (res.kind === 'summary') return summaryEvidence(res, t);
  const scenario = { name: t.scenario, service: t.service, requests: [] } as unknown as PerformanceScenario;
  const k6Script = { options: { thresholds: res.thresholds } } as unknown as UserK6Script;
  const r = res.result;
  const { evidence, checks } = userScriptResults(
    { module: { scenario, file: t.file, k6Script } },
    r,
    res.elapsedSeconds,
    t.at,
  );
  const answered = Object.values(r.failed).reduce((n, f) => n + f.ok, 0);
  const coverage: CoverageEvidence = {
    kind: 'coverage',
    suite: SUITE,
    environment: t.environment,
    scope: t.scenario,
    status: 'complete',
    reason: `imported k6 JSON output ${t.file}: ${res.points} points over ${res.elapsedSeconds.toFixed(1)} s`,
    counts: { iterations: r.iterations, answered, dropped: r.dropped },
    at: t.at,
  };
  return { evidence: [...evidence, coverage], checks };
}

const ms = (n: number | undefined) => (n === undefined ? '?' : `${n.toFixed(n < 10 ? 2 : 1)} ms`);

function summaryEvidence(
  res: K6SummaryResult,
  t: ImportTarget,
): { evidence: Evidence[]; checks: CheckResult[] } {
  const base = { kind: 'metric' as const, suite: SUITE, environment: t.environment, at: t.at };
  const tags = { scenario: t.scenario, service: t.service };
  const m = res.metrics;
  const evidence: Evidence[] = [];
  const failed = m.http_req_failed?.values;
  if (failed?.passes !== undefined && failed.fails !== undefined)
    evidence.push({
      ...base,
      name: 'http_req_failed',
      type: 'rate',
      tags,
      passes: failed.passes,
      fails: failed.fails,
    });
  evidence.push({ ...base, name: 'http_reqs', type: 'counter', tags, count: m.http_reqs!.values.count! });
  if (m.dropped_iterations?.values.count !== undefined)
    evidence.push({
      ...base,
      name: 'dropped_iterations',
      type: 'counter',
      tags,
      count: m.dropped_iterations.values.count,
    });
  for (const [check, c] of Object.entries(res.checks).sort(([a], [b]) => a.localeCompare(b)))
    evidence.push({
      ...base,
      name: 'checks',
      type: 'rate',
      tags: { ...tags, check },
      passes: c.passes,
      fails: c.fails,
    } satisfies MetricEvidence);
  const d = m.http_req_duration!.values;
  const shown = Object.entries(d)
    .filter(([k]) => k !== 'count')
    .map(([k, v]) => `${k} ${ms(v)}`)
    .join(', ');
  evidence.push({
    kind: 'coverage',
    suite: SUITE,
    environment: t.environment,
    scope: t.scenario,
    status: 'partial',
    reason: `imported k6 end-of-test summary ${t.file} (${res.shape}): aggregates only (http_req_duration ${shown}); no latency samples, so criteria on latency have no evidence here and stay INCONCLUSIVE — import k6's JSON output (k6 run --out json=FILE) to judge latency`,
    counts: {
      requests: m.http_reqs!.values.count!,
      ...(failed?.passes !== undefined ? { failed: failed.passes } : {}),
    },
    at: t.at,
  });
  const checks: CheckResult[] = [];
  for (const [metric, sm] of Object.entries(m)) {
    for (const [source, held] of Object.entries(sm.thresholds)) {
      checks.push({
        suite: SUITE,
        environment: t.environment,
        service: t.service,
        check: `${t.scenario}: ${metric} ${source}`,
        status: held ? 'pass' : 'fail',
        reason: `k6 judged it ${held ? 'held' : 'crossed'} over the whole run (threshold ${source})`,
        data: { scenario: t.scenario, metric, threshold: source, judgedBy: 'k6' },
        at: t.at,
      });
    }
  }
  return { evidence, checks };
}
