// A watch's evidence, in the shape the gates read from the load engine (suites/performance/evidence.ts),
// with suite `post-cutover`: per service and window, on the target, http_reqs (counter), http_req_failed
// (rate: passes = failed requests) and http_req_duration (trend: the histogram's buckets, each count at its
// upper bound); on the baseline (Compose's own traffic, for `traffic.compose-idle`), http_reqs. Only a
// window that was read becomes evidence: a window with no data or a Prometheus error adds nothing — and
// a coverage item saying why — so a gate without traffic stays INCONCLUSIVE. A window with no traffic is a
// count of 0 (Compose idle is exactly that), but no rate or latency, which 0 requests cannot have. Pure.
import type { CoverageEvidence, Evidence, MetricEvidence } from '../../core/evidence.js';
import { createHistogram, encodeHistogram } from '../../core/histogram.js';
import { OVERFLOW_MS } from './judge.js';
import type { TrafficSample } from './sample.js';

export const SUITE = 'post-cutover';

export function sampleEvidence(
  environment: string,
  service: string,
  sample: TrafficSample,
  at: string,
  window: string,
): Evidence[] {
  const base = { kind: 'metric' as const, suite: SUITE, environment, tags: { service }, at };
  if (sample.state === 'no-traffic') return [{ ...base, name: 'http_reqs', type: 'counter', count: 0 }];
  if (sample.state !== 'traffic') {
    const coverage: CoverageEvidence = {
      kind: 'coverage',
      suite: SUITE,
      environment,
      scope: `watch:${service}`,
      status: 'could-not-check',
      reason: `${service}, window of ${window}: ${sample.reason}`,
      service,
      at,
    };
    return [coverage];
  }
  const items: MetricEvidence[] = [
    { ...base, name: 'http_reqs', type: 'counter', count: sample.requests },
    {
      ...base,
      name: 'http_req_failed',
      type: 'rate',
      passes: sample.errors,
      fails: sample.requests - sample.errors,
    },
  ];
  const histogram = createHistogram();
  let observed = 0;
  for (const b of sample.buckets) {
    if (b.count <= 0) continue;
    const ms = b.leMs === Number.POSITIVE_INFINITY ? OVERFLOW_MS : b.leMs;
    histogram.recordValueWithCount(Math.max(1, Math.round(ms * 1000)), b.count);
    observed += b.count;
  }
  if (observed > 0)
    items.push({ ...base, name: 'http_req_duration', type: 'trend', histogram: encodeHistogram(histogram) });
  return items;
}

/** Compose's own traffic in a window: only its request count is evidence (`traffic.compose-idle`). */
export function composeEvidence(
  environment: string,
  service: string,
  sample: TrafficSample,
  at: string,
  window: string,
): Evidence[] {
  return sampleEvidence(environment, service, sample, at, window).filter(
    (e) => e.kind === 'coverage' || (e.kind === 'metric' && e.name === 'http_reqs'),
  );
}
