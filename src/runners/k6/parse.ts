// Reads k6's own output back into the engine's result shape: the JSON-lines stream (`--out json`) into
// HDR histograms per endpoint and status class — exact, mergeable across blocks and across k6-operator
// runners — and the `--summary-export` file (k6's "old JSON" shape, whose threshold booleans mean FAILED).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { bucketValueMicros } from '../../core/bucket-counter.js';
import { createHistogram, encodeHistogram } from '../../core/histogram.js';
import { k6OutcomeClass } from '../../core/load/outcome.js';
import { addErrorSample, DurationTable, emptySlice, type SliceResult } from '../load/recorder.js';
import { isLatencyCheck, type RunnerSummary } from './runner-summary.js';

export { errorClassOf } from '../../core/load/outcome.js';

interface Point {
  metric: string;
  value: number;
  tags: Record<string, string>;
  /** `data.time` in ms since the epoch, when it parses. */
  time?: number;
}

/** One line of k6's JSON output, current or older shape (`tainted`, no `data.name`), tags possibly null. */
export function parseLine(line: string): Point | undefined {
  if (!line.trim()) return undefined;
  let o: {
    type?: string;
    metric?: string;
    data?: { value?: unknown; tags?: Record<string, unknown> | null; time?: unknown };
  };
  try {
    o = JSON.parse(line);
  } catch {
    throw new Error(`k6 JSON output: not JSON: ${line.slice(0, 80)}`);
  }
  if (o.type !== 'Point' || typeof o.metric !== 'string' || typeof o.data?.value !== 'number')
    return undefined;
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.data.tags ?? {})) tags[k] = String(v);
  const time = typeof o.data.time === 'string' ? Date.parse(o.data.time) : Number.NaN;
  return { metric: o.metric, value: o.data.value, tags, ...(Number.isFinite(time) ? { time } : {}) };
}

/** Accumulates k6 points for one scenario and environment (one k6 run, one block, or one runner). */
export class K6Accumulator {
  private readonly durations = new DurationTable();
  private readonly result: SliceResult;

  constructor(scenario: string, environment: string) {
    this.result = emptySlice(scenario, environment);
  }

  add(p: Point): void {
    const r = this.result;
    if (p.tags.scenario && p.tags.scenario !== r.scenario) return;
    // setup() and teardown() run in k6's implicit groups `::setup` and `::teardown`, outside any
    // scenario: their requests are not the load (Cutover hands the setup's values in, so a script it runs
    // sends none there; this keeps a script's own setup requests out of the results regardless).
    if (p.tags.group === '::setup' || p.tags.group === '::teardown') return;
    const endpoint = p.tags.endpoint ?? p.tags.name ?? p.tags.url ?? 'unknown';
    switch (p.metric) {
      case 'http_req_duration': {
        const status = Number(p.tags.status ?? 0);
        const cls = k6OutcomeClass(status, p.tags.error_code);
        if (status < 100) {
          addErrorSample(
            r.errorSamples,
            cls,
            p.tags.error ?? `k6 error code ${p.tags.error_code ?? 'unknown'}`,
          );
        }
        this.durations.record(endpoint, cls, p.value);
        break;
      }
      case 'http_req_failed': {
        const f = r.failed[endpoint] ?? { failed: 0, ok: 0 };
        if (p.value !== 0) f.failed++;
        else f.ok++;
        r.failed[endpoint] = f;
        break;
      }
      case 'checks': {
        const name = p.tags.check ?? 'check';
        // A k6-operator runner counts each request as a check too (runner-summary.ts): not the scenario's.
        if (isLatencyCheck(name)) break;
        const c = r.checks[name] ?? { passes: 0, fails: 0 };
        if (p.value !== 0) c.passes++;
        else c.fails++;
        r.checks[name] = c;
        break;
      }
      case 'dropped_iterations':
        r.dropped += p.value;
        break;
      case 'iterations':
        r.iterations += p.value;
        break;
      case 'vus':
        r.maxConcurrent = Math.max(r.maxConcurrent, p.value);
        break;
    }
  }

  finish(): SliceResult {
    this.result.durations = this.durations.encode();
    return this.result;
  }
}

/**
 * Streams a k6 JSON output file (memory stays flat however long the run); `onPoint` sees each point of
 * the scenario as well (the per-second series).
 */
export async function readK6Json(
  file: string,
  scenario: string,
  environment: string,
  onPoint?: (p: Point) => void,
  /** Each point as read, before it counts: a team script's are retagged with the script's name. */
  map: (p: Point) => Point = (p) => p,
): Promise<SliceResult> {
  const acc = new K6Accumulator(scenario, environment);
  const lines = createInterface({
    input: createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) {
    const read = parseLine(line);
    if (!read) continue;
    const p = map(read);
    acc.add(p);
    if (onPoint && (!p.tags.scenario || p.tags.scenario === scenario)) onPoint(p);
  }
  return acc.finish();
}

/** k6 output read from text (a runner pod's log), skipping the non-JSON lines a log may carry. */
export function readK6Text(text: string, scenario: string, environment: string): SliceResult {
  const acc = new K6Accumulator(scenario, environment);
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    const p = parseLine(line);
    if (p) acc.add(p);
  }
  return acc.finish();
}

/** How many requests a slice measured: the samples its histograms hold. */
export function requestsMeasured(r: SliceResult): number {
  let n = 0;
  for (const byClass of Object.values(r.durations))
    for (const { count } of Object.values(byClass)) n += count;
  return n;
}

/**
 * A k6-operator runner's results from its summary line (runner-summary.ts) — whole however much of its
 * log the kubelet kept. `fromLog`, what its log still held, lends the error messages the summary has
 * no room for.
 */
export function sliceFromRunnerSummary(
  summary: RunnerSummary,
  environment: string,
  fromLog?: SliceResult,
): SliceResult {
  const out = emptySlice(summary.scenario, environment);
  const scratch = createHistogram();
  for (const [endpoint, byClass] of Object.entries(summary.latency)) {
    out.durations[endpoint] = {};
    for (const [cls, pairs] of Object.entries(byClass)) {
      scratch.reset();
      let count = 0;
      for (let i = 0; i + 1 < pairs.length; i += 2) {
        scratch.recordValueWithCount(bucketValueMicros(pairs[i]!), pairs[i + 1]!);
        count += pairs[i + 1]!;
      }
      out.durations[endpoint][cls] = { histogram: encodeHistogram(scratch), count };
    }
  }
  out.failed = structuredClone(summary.failed);
  out.checks = structuredClone(summary.checks);
  out.dropped = summary.dropped;
  out.iterations = summary.iterations;
  out.maxConcurrent = summary.maxVUs;
  if (fromLog) out.errorSamples = fromLog.errorSamples;
  return out;
}

export interface K6Summary {
  /** Thresholds that k6 reports crossed, as `metric: expression`. */
  crossed: string[];
  httpReqs?: number;
  dropped?: number;
}

/**
 * The `--summary-export` file. In this shape a threshold's boolean is `true` when it FAILED (k6's
 * summary-wrapper.js inverts `ok`); the handleSummary shape (`{ok: bool}`) is read too, should a k6
 * build write that instead.
 */
export function parseK6Summary(text: string): K6Summary {
  const data = JSON.parse(text) as { metrics?: Record<string, Record<string, unknown>> };
  const crossed: string[] = [];
  const metrics = data.metrics ?? {};
  for (const [name, m] of Object.entries(metrics)) {
    const thresholds = (m.thresholds ?? {}) as Record<string, boolean | { ok: boolean }>;
    for (const [expr, v] of Object.entries(thresholds)) {
      const failed = typeof v === 'boolean' ? v : v?.ok === false;
      if (failed) crossed.push(`${name}: ${expr}`);
    }
  }
  const count = (name: string): number | undefined => {
    const m = metrics[name] as { count?: unknown; values?: { count?: unknown } } | undefined;
    const c = m?.count ?? m?.values?.count;
    return typeof c === 'number' ? c : undefined;
  };
  return {
    crossed,
    ...(count('http_reqs') !== undefined ? { httpReqs: count('http_reqs') } : {}),
    ...(count('dropped_iterations') !== undefined ? { dropped: count('dropped_iterations') } : {}),
  };
}
