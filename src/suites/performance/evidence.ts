// Load results as evidence the gates read (k6's metric names and semantics, identical tags on both
// sides) and as checks for the scenarios' thresholds.

import type { MetricEvidence } from '../../core/evidence.js';
import { parseScenarioThreshold } from '../../core/gates/thresholds.js';
import { decodeHistogram, mergeHistograms, quantileMs } from '../../core/histogram.js';
import { endpointOf, type PerformanceScenario } from '../../core/load/scenario.js';
import type { CheckResult } from '../../core/model.js';
import { ANSWERED, answeredHistogram, type SliceResult } from '../../runners/load/recorder.js';
import { requestTags } from './check.js';
import { type EndpointTags, evaluateThreshold } from './threshold-check.js';

export const SUITE = 'performance';

/** How late the open model sent its iterations (a trend, µs histogram). */
export const SEND_LAG = 'cutover_send_lag';

export function endpointTags(s: PerformanceScenario): EndpointTags {
  return Object.fromEntries(
    s.requests.map((r) => {
      const endpoint = endpointOf(r);
      return [endpoint, { ...s.tags, ...r.tags, endpoint, name: endpoint }];
    }),
  );
}

/** The tag that splits an endpoint's latencies by the class of the HTTP status answered (2xx … 5xx). */
export const STATUS_CLASS_TAG = 'status_class';

/**
 * http_req_duration (trend, µs histogram of answered requests; a transport failure has no latency worth
 * comparing and shows in http_req_failed instead) per endpoint and status class, tagged `status_class`;
 * http_req_failed (rate: passes = failed requests) and http_reqs (counter) per endpoint;
 * dropped_iterations per scenario; checks (rate: passes = checks that held) per scenario and check.
 *
 * The duration items of one endpoint partition its answered requests, as k6's samples carry a status
 * tag: merged they are exactly the endpoint's distribution (what a criterion without a status filter
 * reads, since the gates group series without this tag), and `{status_class:5xx}` selects one part.
 */
export function metricEvidence(s: PerformanceScenario, r: SliceResult, at: string): MetricEvidence[] {
  const base = { kind: 'metric' as const, suite: SUITE, environment: r.environment, at };
  const out: MetricEvidence[] = [];
  for (const endpoint of Object.keys(endpointTags(s))) {
    const tags = { scenario: s.name, service: s.service, endpoint };
    for (const [cls, v] of Object.entries(r.durations[endpoint] ?? {}).sort(([a], [b]) =>
      a.localeCompare(b),
    )) {
      if (!ANSWERED.test(cls) || v.count === 0) continue;
      out.push({
        ...base,
        name: 'http_req_duration',
        type: 'trend',
        tags: { ...tags, [STATUS_CLASS_TAG]: cls },
        histogram: v.histogram,
      });
    }
    const f = r.failed[endpoint] ?? { failed: 0, ok: 0 };
    out.push({ ...base, name: 'http_req_failed', type: 'rate', tags, passes: f.failed, fails: f.ok });
    out.push({ ...base, name: 'http_reqs', type: 'counter', tags, count: f.failed + f.ok });
  }
  const tags = { scenario: s.name, service: s.service };
  out.push({ ...base, name: 'dropped_iterations', type: 'counter', tags, count: r.dropped });
  if (r.sendLag && r.sendLag.count > 0) {
    // Not a k6 metric: the generator's own lateness, so a report can tell a slow server from a busy load
    // machine (latencies count from the schedule, lag included).
    out.push({ ...base, name: SEND_LAG, type: 'trend', tags, histogram: r.sendLag.histogram });
  }
  // One series per check, tagged `check` as k6 tags its check samples: a criterion over `checks` then
  // pairs each check with itself on the other side, and the reports can name the one that fails.
  for (const [check, c] of Object.entries(r.checks).sort(([a], [b]) => a.localeCompare(b))) {
    out.push({
      ...base,
      name: 'checks',
      type: 'rate',
      tags: { ...tags, check },
      passes: c.passes,
      fails: c.fails,
    });
  }
  return out;
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(n < 1 ? 4 : 2));

/** One check per threshold: pass or fail, with the measured value in the reason. */
export function thresholdChecks(
  s: PerformanceScenario,
  r: SliceResult,
  elapsedSeconds: number,
  at: string,
): CheckResult[] {
  const tags = endpointTags(s);
  const out: CheckResult[] = [];
  for (const [metric, list] of Object.entries(s.thresholds ?? {})) {
    for (const source of list) {
      const t = parseScenarioThreshold(metric, source, requestTags(s));
      const o = evaluateThreshold(t, r, tags, elapsedSeconds);
      const agg = t.condition.agg;
      const unit = t.condition.metric.endsWith('duration') ? ' ms' : '';
      out.push({
        suite: SUITE,
        environment: r.environment,
        service: s.service,
        check: `${s.name}: ${metric} ${source}`,
        status: o.ok ? 'pass' : 'fail',
        reason:
          o.actual === undefined
            ? `no samples of ${metric}: nothing shows the threshold holds`
            : `${agg.fn === 'p' ? `p(${+(agg.q * 100).toPrecision(6)})` : agg.fn} = ${fmt(o.actual)}${unit} (threshold ${source})`,
        data: {
          scenario: s.name,
          metric,
          threshold: source,
          ...(o.actual !== undefined ? { actual: o.actual } : {}),
        },
        at,
      });
    }
  }
  return out;
}

/** One line per scenario and environment for the progress view. */
export function summaryLine(s: PerformanceScenario, r: SliceResult): string {
  let requests = 0;
  let failed = 0;
  for (const f of Object.values(r.failed)) {
    requests += f.failed + f.ok;
    failed += f.failed;
  }
  const merged = mergeHistograms(Object.keys(r.durations).flatMap((e) => answeredHistogram(r, e) ?? []));
  const p = (q: number) => (merged.totalCount > 0 ? `${quantileMs(merged, q).toFixed(1)}ms` : '–');
  const errors = Object.keys(r.errorSamples).length
    ? `, errors: ${Object.keys(r.errorSamples).join('/')}`
    : '';
  const lag = r.sendLag?.count ? decodeHistogram(r.sendLag.histogram) : undefined;
  const lagText = lag ? `, send lag p99 ${quantileMs(lag, 0.99).toFixed(1)}ms` : '';
  return `${s.name} on ${r.environment}: ${requests} requests, ${failed} failed, ${r.dropped} dropped, p50 ${p(0.5)} p95 ${p(0.95)} p99 ${p(0.99)}${lagText}${checksText(r.checks)}${errors}${r.stoppedBy ? ` (stopped: ${r.stoppedBy})` : ''}${framingText(r)}`;
}

/**
 * `; 250 answers kept although the server broke HTTP framing (DELETE /x: the server announced …)`: the
 * answers counted as answered, and what the server did wrong, in the summary and the coverage record.
 */
export function framingText(r: SliceResult): string {
  if (!r.framing) return '';
  const n = r.framing.count;
  return `; ${n} ${n === 1 ? 'answer' : 'answers'} kept although the server broke HTTP framing (${r.framing.samples.join(' | ')})`;
}

const MAX_NAMED_CHECKS = 3;

/** `, checks 1850/2000 held (failing: "has id" 150 of 500)`: the failing checks by name, worst first. */
function checksText(checks: SliceResult['checks']): string {
  const all = Object.entries(checks);
  if (all.length === 0) return '';
  const held = all.reduce((n, [, c]) => n + c.passes, 0);
  const total = all.reduce((n, [, c]) => n + c.passes + c.fails, 0);
  const failing = all
    .filter(([, c]) => c.fails > 0)
    .sort(([, a], [, b]) => b.fails / (b.passes + b.fails) - a.fails / (a.passes + a.fails));
  const named = failing
    .slice(0, MAX_NAMED_CHECKS)
    .map(([name, c]) => `${JSON.stringify(name)} ${c.fails} of ${c.passes + c.fails}`);
  if (failing.length > MAX_NAMED_CHECKS) named.push(`${failing.length - MAX_NAMED_CHECKS} more`);
  return `, checks ${held}/${total} held${named.length ? ` (failing: ${named.join(', ')})` : ''}`;
}
