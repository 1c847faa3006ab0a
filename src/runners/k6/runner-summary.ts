// What a k6 runner reports once, at its end: its latency histogram and counts, small and independent of
// how many requests it sent, so a k6-operator run's results do not depend on its runners' pod logs,
// which the kubelet rotates at 10 MiB (the log API then returns only the current file).
//
// How the histogram is built in real k6. handleSummary(data) sees no samples, VUs share no memory, and
// a custom metric shows in `data.metrics` per tag only as a sub-metric a threshold names — a Counter per
// HDR bucket (~15 000 of them per endpoint and class) would have to be declared in every VU's init
// context, and a sub-metric per bucket is matched against every sample of its metric (k6's ingester
// scans a metric's sub-metrics linearly). Checks are the one aggregate k6 keeps by a name chosen at run
// time: `check()` counts passes and fails per name in the test's shared group tree (atomically, across
// VUs) and hands them to handleSummary as `root_group.checks`. So each request is also counted as a check
// named after its endpoint, outcome class and HDR bucket (the embedded engine's layout, core/bucket-
// counter.ts), passing when the request did not fail (k6's http_req_failed); the summary holds one entry
// per bucket in use — bounded by the layout, not by the request count. The cost: one more `checks`
// sample per request, and k6's own `checks` rate (its end-of-test display, a `checks` threshold it
// evaluates itself) includes these counts; Cutover's evidence leaves them out. k6's own count of the
// scenario's requests comes from the sub-metric `http_reqs{scenario:<name>}`, which one threshold
// creates; the reader checks the histogram against it.
//
// Pure: bundled into every k6 script (no Node), and read back by runners/k6/parse.ts.
import { k6OutcomeClass } from '../../core/load/outcome.js';

/** Marks the summary line: handleSummary writes it to stdout, the last lines of the runner's log. */
export const RUNNER_SUMMARY_MARK = 'cutover-runner-summary/v1 ';
const LATENCY_CHECK = 'cutover:latency|';

export interface RunnerSummary {
  scenario: string;
  /** k6's own count of the scenario's requests: the sub-metric `http_reqs{scenario:<name>}`. */
  requests: number;
  /** Iterations k6 completed (`iterations`), dropped (`dropped_iterations`), and the most VUs it had. */
  iterations: number;
  dropped: number;
  maxVUs: number;
  /** Per endpoint, per outcome class: `[bucket, count, bucket, count, …]` in the HDR layout of core/bucket-counter.ts. */
  latency: Record<string, Record<string, number[]>>;
  /** Per endpoint: failed requests (k6's http_req_failed passes) and good ones. */
  failed: Record<string, { failed: number; ok: number }>;
  /** The scenario's own checks by name. */
  checks: Record<string, { passes: number; fails: number }>;
}

/** The check name a request is counted under: its class, its bucket, its endpoint (last: it may hold `|`). */
export function latencyCheckName(
  endpoint: string,
  status: number,
  errorCode: unknown,
  bucket: number,
): string {
  return `${LATENCY_CHECK}${k6OutcomeClass(status, errorCode as string | undefined)}|${bucket}|${endpoint}`;
}

export function isLatencyCheck(name: string): boolean {
  return name.startsWith(LATENCY_CHECK);
}

function parseLatencyCheck(name: string): { cls: string; bucket: number; endpoint: string } | undefined {
  const parts = name.slice(LATENCY_CHECK.length).split('|');
  const bucket = Number(parts[1]);
  if (parts.length < 3 || !Number.isInteger(bucket) || bucket < 0) return undefined;
  return { cls: parts[0]!, bucket, endpoint: parts.slice(2).join('|') };
}

/** The parts of k6's handleSummary data read here (shape 1 in shared/reference/k6.md §3). */
interface K6SummaryData {
  root_group?: { checks?: Array<{ name: string; passes: number; fails: number }> };
  metrics?: Record<string, { values?: Record<string, number> }>;
}

/** The sub-metric whose count is k6's own count of a scenario's requests (setup and teardown excluded). */
export function requestCountMetric(scenario: string): string {
  return `http_reqs{scenario:${scenario}}`;
}

/** Builds the runner's summary from k6's handleSummary data. */
export function runnerSummaryOf(data: K6SummaryData, scenario: string): RunnerSummary {
  const metric = (name: string, key: string): number => data.metrics?.[name]?.values?.[key] ?? 0;
  const out: RunnerSummary = {
    scenario,
    requests: metric(requestCountMetric(scenario), 'count'),
    iterations: metric('iterations', 'count'),
    dropped: metric('dropped_iterations', 'count'),
    maxVUs: Math.max(metric('vus_max', 'max'), metric('vus', 'max')),
    latency: {},
    failed: {},
    checks: {},
  };
  for (const c of data.root_group?.checks ?? []) {
    if (!isLatencyCheck(c.name)) {
      out.checks[c.name] = { passes: c.passes, fails: c.fails };
      continue;
    }
    const l = parseLatencyCheck(c.name);
    if (!l) continue;
    out.latency[l.endpoint] ??= {};
    const byClass = out.latency[l.endpoint]!;
    byClass[l.cls] ??= [];
    byClass[l.cls]!.push(l.bucket, c.passes + c.fails);
    out.failed[l.endpoint] ??= { failed: 0, ok: 0 };
    const f = out.failed[l.endpoint]!;
    f.failed += c.fails;
    f.ok += c.passes;
  }
  return out;
}

/** The requests a summary's histogram holds. */
export function histogramCount(s: RunnerSummary): number {
  let n = 0;
  for (const byClass of Object.values(s.latency))
    for (const pairs of Object.values(byClass)) for (let i = 1; i < pairs.length; i += 2) n += pairs[i]!;
  return n;
}

/** The line handleSummary writes: one line, so a log reader never sees half of it. */
export function runnerSummaryLine(s: RunnerSummary): string {
  return `${RUNNER_SUMMARY_MARK}${JSON.stringify(s)}\n`;
}

/**
 * The last summary line in a runner's log, if it has one that reads as a summary. The line is written
 * at the end, so the log file the kubelet still serves after rotating holds it.
 */
export function findRunnerSummary(log: string): RunnerSummary | undefined {
  const at = log.lastIndexOf(RUNNER_SUMMARY_MARK);
  if (at < 0 || (at > 0 && log[at - 1] !== '\n')) return undefined;
  const end = log.indexOf('\n', at);
  let parsed: unknown;
  try {
    parsed = JSON.parse(log.slice(at + RUNNER_SUMMARY_MARK.length, end < 0 ? undefined : end));
  } catch {
    return undefined;
  }
  const s = parsed as Partial<RunnerSummary> | null;
  const counts = ['requests', 'iterations', 'dropped', 'maxVUs'] as const;
  if (
    !s ||
    typeof s.scenario !== 'string' ||
    counts.some((k) => typeof s[k] !== 'number') ||
    typeof s.latency !== 'object' ||
    typeof s.failed !== 'object' ||
    typeof s.checks !== 'object'
  )
    return undefined;
  return s as RunnerSummary;
}
