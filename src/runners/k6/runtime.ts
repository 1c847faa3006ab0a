// What every k6 bundle runs: the scenario's options in k6's form, its setup and teardown, and one
// iteration of its weighted mix, with the same endpoint tags, checks, expected statuses, placeholders
// and host refusal as the embedded engine. Bundled by esbuild with the k6 modules left external;
// nothing here may need Node.
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import http, { type K6Response } from 'k6/http';
import { latencyBucket } from '../../core/bucket-counter.js';
import { type Profile, parseDuration } from '../../core/load/profile.js';
import {
  buildRequest,
  type CheckResponse,
  endpointOf,
  isExpected,
  type PerformanceScenario,
  requestUrl,
  weightedPicker,
} from '../../core/load/scenario.js';
import { k6ExecutorFor } from './executor-options.js';
import {
  latencyCheckName,
  requestCountMetric,
  runnerSummaryLine,
  runnerSummaryOf,
} from './runner-summary.js';
import { runSetupSteps, runTeardownSteps } from './setup-steps.js';

export const TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'];

function view(r: K6Response): CheckResponse {
  const body = typeof r.body === 'string' ? r.body : '';
  return {
    status: r.status,
    body,
    headers: r.headers ?? {},
    json: () => {
      try {
        return r.json();
      } catch {
        return undefined;
      }
    },
  };
}

/** What k6's setup() returns and hands to every iteration: `runId` and the setup's captured values. */
export type SetupData = Record<string, string>;

export interface K6Script {
  options: Record<string, unknown>;
  setup: () => SetupData;
  run: (data?: SetupData) => void;
  teardown: (data?: SetupData) => void;
  /** k6's handleSummary: the runner summary line on stdout (k6-operator runners only). */
  handleSummary: (data: Parameters<typeof runnerSummaryOf>[0]) => Record<string, string>;
}

export interface K6ScriptOptions {
  /**
   * Count every request in the runner's latency histogram and write it at the end (runner-summary.ts):
   * the k6-operator's runners, whose logs the kubelet rotates. A script run by hand or by
   * `--engine k6` keeps k6's own end-of-test summary.
   */
  runnerSummary?: boolean;
}

function baseUrl(): string {
  const base = __ENV.CUTOVER_BASE_URL;
  if (!base) {
    throw new Error(
      'CUTOVER_BASE_URL is not set: run this script through `cutover perf --engine k6`, or pass -e CUTOVER_BASE_URL=<the service URL>',
    );
  }
  return base;
}

export function k6Script(s: PerformanceScenario, scriptOptions: K6ScriptOptions = {}): K6Script {
  const counted = scriptOptions.runnerSummary === true;
  // Set by `cutover perf --engine k6` (a block's window, pinned hosts); absent, the scenario runs as written.
  const profile = __ENV.CUTOVER_PROFILE ? (JSON.parse(__ENV.CUTOVER_PROFILE) as Profile) : undefined;
  const hosts = __ENV.CUTOVER_HOSTS ? (JSON.parse(__ENV.CUTOVER_HOSTS) as Record<string, string>) : undefined;
  const executor = profile ? k6ExecutorFor(profile, s.executor.gracefulStop ?? '30s') : { ...s.executor };
  const options: Record<string, unknown> = {
    scenarios: { [s.name]: { ...executor, exec: 'default', tags: { ...s.tags, service: s.service } } },
    thresholds: counted ? withRequestCount(s.thresholds ?? {}, s.name) : (s.thresholds ?? {}),
    summaryTrendStats: TREND_STATS,
    // k6 follows up to 10 redirects by default; the embedded engine measures the first answer, a 3xx
    // included (k6's expected_response counts it a success). Both engines must measure the same request.
    maxRedirects: 0,
    ...(hosts ? { hosts } : {}),
    ...(__ENV.CUTOVER_INSECURE === 'true' ? { insecureSkipTLSVerify: true } : {}),
  };
  // The request timeout the embedded engine applies (plan.timeoutMs): without it k6 waits its own 60 s, and
  // the two engines would measure different things under a stall.
  const timeout = __ENV.CUTOVER_TIMEOUT || undefined;
  const pick = weightedPicker(s.requests.map((r) => r.weight));
  const endpoints = s.requests.map(endpointOf);
  const closed = String(executor.executor).endsWith('-vus');
  const sleepSeconds = closed && s.sleep ? parseDuration(s.sleep) / 1000 : 0;
  // Cutover runs the setup itself, once per environment, and hands its values to every k6 process (each
  // block, each k6-operator runner — which would otherwise each run setup()); run by hand, the script
  // sends the setup's steps itself.
  const handed = (): SetupData | undefined =>
    __ENV.CUTOVER_SETUP_DATA ? (JSON.parse(__ENV.CUTOVER_SETUP_DATA) as SetupData) : undefined;
  const setup = (): SetupData => {
    const given = handed();
    if (given) return given;
    const vars: SetupData = { runId: __ENV.CUTOVER_RUN_ID ?? `k6-${Date.now()}` };
    runSetupSteps(s.setup ?? [], baseUrl(), vars, __ENV);
    return vars;
  };
  // Cutover runs the teardown itself, once, after the last block.
  const teardown = (data?: SetupData) => {
    if (handed()) return;
    runTeardownSteps(s.teardown ?? [], baseUrl(), { ...data }, __ENV);
  };
  const run = (data?: SetupData) => {
    const base = baseUrl();
    const which = pick();
    const req = s.requests[which]!;
    const endpoint = endpoints[which]!;
    const ctx = {
      iteration: exec.scenario.iterationInTest,
      vu: exec.vu.idInTest,
      env: __ENV,
      vars: data ?? {},
    };
    const built = buildRequest(req, ctx);
    const res = http.request(req.method, requestUrl(base, built.path), built.body ? built.body.text : null, {
      headers: built.headers,
      ...(timeout ? { timeout } : {}),
      tags: { ...req.tags, endpoint, name: endpoint },
      responseCallback: req.expectedStatuses
        ? http.expectedStatuses(...req.expectedStatuses)
        : http.expectedStatuses({ min: 200, max: 399 }),
    });
    if (counted) {
      const name = latencyCheckName(
        endpoint,
        res.status,
        res.error_code,
        latencyBucket(res.timings?.duration ?? 0),
      );
      // Passes when the request did not fail (k6's http_req_failed): the summary's failed counts.
      check(res, { [name]: () => isExpected(req, res.status) });
    }
    if (req.checks) {
      const checks: Record<string, (r: K6Response) => boolean> = {};
      // A check that throws fails, and the request's other checks still run — as the embedded engine
      // counts them (scenario-checks.ts). Left to k6, the exception would abort the iteration.
      for (const [name, fn] of Object.entries(req.checks))
        checks[name] = (r) => {
          try {
            return fn(view(r)) === true;
          } catch {
            return false;
          }
        };
      check(res, checks, { endpoint });
    }
    if (sleepSeconds > 0) sleep(sleepSeconds);
  };
  const handleSummary = (data: Parameters<typeof runnerSummaryOf>[0]) => ({
    stdout: runnerSummaryLine(runnerSummaryOf(data, s.name)),
  });
  return { options, setup, run, teardown, handleSummary };
}

/**
 * The scenario's thresholds plus one that makes k6 keep `http_reqs{scenario:<name>}` — its own count of
 * the load's requests, which handleSummary sees only as a sub-metric a threshold names (k6 docs:
 * workaround-iteration-duration). `count>=0` always holds.
 */
function withRequestCount(thresholds: Record<string, unknown>, scenario: string): Record<string, unknown> {
  const key = requestCountMetric(scenario);
  const own = thresholds[key];
  return { ...thresholds, [key]: [...(Array.isArray(own) ? own : own ? [own] : []), 'count>=0'] };
}
