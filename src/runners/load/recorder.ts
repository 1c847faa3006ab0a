// What one thread measures of one scenario: an HDR histogram per endpoint and status class, k6's
// http_req_failed as passes/fails, checks, dropped iterations, error samples, and a per-second stream.
// Memory is bounded by the number of endpoints × classes, never by the number of requests.
import { BucketCounter } from '../../core/bucket-counter.js';
import {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  type Histogram,
  mergeHistograms,
} from '../../core/histogram.js';
import type { ErrorClass, OutcomeClass } from '../../core/load/outcome.js';

export type { ErrorClass, OutcomeClass } from '../../core/load/outcome.js';
export { statusClass } from '../../core/load/outcome.js';

/** Keeps up to three distinct messages per error class: enough to explain, bounded however many fail. */
export function addErrorSample(samples: Record<string, string[]>, kind: string, message: string): void {
  samples[kind] ??= [];
  const list = samples[kind];
  if (list.length < 3 && !list.includes(message)) list.push(message);
}

/** One second of one thread, sent to the parent so the series can be merged across threads. */
export interface SecondReport {
  second: number;
  requests: number;
  failed: number;
  dropped: number;
  histogram: string;
}

/** The serialisable result of one slice (one thread, one scenario, one environment, one block). */
export interface SliceResult {
  scenario: string;
  environment: string;
  /** Encoded histograms (µs) keyed by endpoint, then outcome class. */
  durations: Record<string, Record<string, { histogram: string; count: number }>>;
  /** Per endpoint: failed (k6's http_req_failed passes) and ok (its fails) requests. */
  failed: Record<string, { failed: number; ok: number }>;
  checks: Record<string, { passes: number; fails: number }>;
  dropped: number;
  iterations: number;
  interrupted: number;
  maxConcurrent: number;
  /** Up to three messages per error class, for the report to explain what went wrong. */
  errorSamples: Record<string, string[]>;
  /**
   * Answers kept although the server broke the message framing (a 204 that announced a body, bytes
   * after a response): how many, and up to three distinct messages saying what the server did wrong.
   */
  framing?: { count: number; samples: string[] };
  /** Why the slice stopped early, if it did (a safety limit, an abort). */
  stoppedBy?: string;
  /**
   * Why its measurements cannot be taken as whole (a k6-operator runner whose histogram disagrees with
   * the requests it sent, or that wrote no summary), with the numbers: they are then kept out of the
   * evidence, so the gates judging it say INCONCLUSIVE.
   */
  incomplete?: string[];
  /**
   * Open model only: how late each iteration was sent after its scheduled start (µs histogram). The
   * latencies count from the schedule, so this lag is the load generator's own share of them — a
   * generator that falls behind inflates every percentile it reports.
   */
  sendLag?: { histogram: string; count: number };
  /**
   * k6 runs only: the thresholds k6 itself reported crossed (`metric: expression`), over every block —
   * for the thresholds of a team's own script that Cutover's grammar cannot evaluate itself.
   */
  k6Crossed?: string[];
  /** k6 runs only: how many k6 runs' summaries were read (so a threshold never judged is told apart). */
  k6Summaries?: number;
}

/** A slice that has measured nothing yet. */
export function emptySlice(scenario: string, environment: string): SliceResult {
  return {
    scenario,
    environment,
    durations: {},
    failed: {},
    checks: {},
    dropped: 0,
    iterations: 0,
    interrupted: 0,
    maxConcurrent: 0,
    errorSamples: {},
  };
}

/** Counted latencies as an encoded histogram (64-bit counts: quicker to fill than packed ones). */
function encodeCounted(counter: BucketCounter, scratch: Histogram): string {
  scratch.reset();
  counter.drainInto(scratch);
  return encodeHistogram(scratch);
}

function encodeSlot(counter: BucketCounter, scratch: Histogram): { histogram: string; count: number } {
  const count = counter.count;
  return { histogram: encodeCounted(counter, scratch), count };
}

/** Latencies per endpoint and outcome class: counted in HDR buckets, encoded for a SliceResult. */
export class DurationTable {
  private readonly byEndpoint = new Map<string, Map<string, BucketCounter>>();

  record(endpoint: string, cls: string, ms: number): void {
    let byClass = this.byEndpoint.get(endpoint);
    if (!byClass) {
      byClass = new Map();
      this.byEndpoint.set(endpoint, byClass);
    }
    let slot = byClass.get(cls);
    if (!slot) {
      slot = new BucketCounter();
      byClass.set(cls, slot);
    }
    slot.record(ms);
  }

  encode(): SliceResult['durations'] {
    const durations: SliceResult['durations'] = {};
    const scratch = createHistogram(64);
    for (const [endpoint, byClass] of this.byEndpoint) {
      durations[endpoint] = {};
      for (const [cls, counter] of byClass) durations[endpoint][cls] = encodeSlot(counter, scratch);
    }
    return durations;
  }
}

export class SliceRecorder {
  private readonly durations = new DurationTable();
  private readonly failedBy = new Map<string, { failed: number; ok: number }>();
  private readonly checksBy = new Map<string, { passes: number; fails: number }>();
  private readonly errors: Record<string, string[]> = {};
  private framingFaults: { count: number; samples: string[] } | undefined;
  private dropped = 0;
  private interrupted = 0;
  private lagCounter: BucketCounter | undefined;
  iterations = 0;
  maxConcurrent = 0;
  stoppedBy: string | undefined;
  private second = 0;
  private readonly secondCounter = new BucketCounter();
  private readonly scratch = createHistogram(64);
  private secondCounts = { requests: 0, failed: 0, dropped: 0 };

  constructor(
    private readonly scenario: string,
    private readonly environment: string,
    private readonly startMs: number,
    private readonly onSecond?: (r: SecondReport) => void,
  ) {}

  /** Closes the seconds that ended before `nowMs`, so each report carries whole seconds only. */
  tick(nowMs: number): void {
    const current = Math.floor((nowMs - this.startMs) / 1000);
    while (this.second < current) this.flushSecond();
  }

  private flushSecond(): void {
    if (this.onSecond) {
      this.onSecond({
        second: this.second,
        ...this.secondCounts,
        histogram: this.secondCounts.requests > 0 ? encodeCounted(this.secondCounter, this.scratch) : '',
      });
    }
    this.secondCounter.clear();
    this.secondCounts = { requests: 0, failed: 0, dropped: 0 };
    this.second++;
  }

  request(endpoint: string, outcome: OutcomeClass, ms: number, failed: boolean, nowMs: number): void {
    this.tick(nowMs);
    this.durations.record(endpoint, outcome, ms);
    let f = this.failedBy.get(endpoint);
    if (!f) {
      f = { failed: 0, ok: 0 };
      this.failedBy.set(endpoint, f);
    }
    if (failed) f.failed++;
    else f.ok++;
    this.secondCounter.record(ms);
    this.secondCounts.requests++;
    if (failed) this.secondCounts.failed++;
  }

  error(kind: ErrorClass, message: string): void {
    addErrorSample(this.errors, kind, message);
  }

  /** An answer the server framed wrongly, kept: counted, and its message sampled. */
  framing(message: string): void {
    this.framingFaults ??= { count: 0, samples: [] };
    this.framingFaults.count++;
    const samples = this.framingFaults.samples;
    if (samples.length < 3 && !samples.includes(message)) samples.push(message);
  }

  check(name: string, passed: boolean): void {
    let c = this.checksBy.get(name);
    if (!c) {
      c = { passes: 0, fails: 0 };
      this.checksBy.set(name, c);
    }
    if (passed) c.passes++;
    else c.fails++;
  }

  drop(nowMs: number): void {
    this.tick(nowMs);
    this.dropped++;
    this.secondCounts.dropped++;
  }

  interrupt(): void {
    this.interrupted++;
  }

  /** An open-model iteration went out `ms` after its scheduled start. */
  lag(ms: number): void {
    this.lagCounter ??= new BucketCounter();
    this.lagCounter.record(ms);
  }

  finish(endMs: number): SliceResult {
    this.tick(endMs);
    if (this.secondCounts.requests > 0 || this.secondCounts.dropped > 0) this.flushSecond();
    return {
      scenario: this.scenario,
      environment: this.environment,
      durations: this.durations.encode(),
      failed: Object.fromEntries(this.failedBy),
      checks: Object.fromEntries(this.checksBy),
      dropped: this.dropped,
      iterations: this.iterations,
      interrupted: this.interrupted,
      maxConcurrent: this.maxConcurrent,
      errorSamples: this.errors,
      ...(this.framingFaults ? { framing: this.framingFaults } : {}),
      ...(this.stoppedBy ? { stoppedBy: this.stoppedBy } : {}),
      ...(this.lagCounter ? { sendLag: encodeSlot(this.lagCounter, this.scratch) } : {}),
    };
  }
}

/** Merges slices of the same scenario and environment (threads, blocks, k6 runners) exactly. */
export function mergeSlices(parts: readonly SliceResult[]): SliceResult {
  const first = parts[0];
  if (!first) throw new Error('mergeSlices needs at least one slice');
  // Each endpoint and class merged and encoded in turn through one working histogram: a run with many
  // endpoints never holds more than one at a time.
  const scratch = createHistogram();
  const mergeEncoded = (encoded: readonly string[]): string => {
    if (encoded.length === 1) return encoded[0]!;
    scratch.reset();
    for (const e of encoded) scratch.add(decodeHistogram(e));
    return encodeHistogram(scratch);
  };
  const histograms = new Map<string, Map<string, string[]>>();
  const lags: string[] = [];
  let lagCount = 0;
  const out = emptySlice(first.scenario, first.environment);
  for (const p of parts) {
    for (const [endpoint, byClass] of Object.entries(p.durations)) {
      out.durations[endpoint] ??= {};
      const target = out.durations[endpoint];
      const encoded = histograms.get(endpoint) ?? new Map<string, string[]>();
      histograms.set(endpoint, encoded);
      for (const [cls, { histogram, count }] of Object.entries(byClass)) {
        const list = encoded.get(cls);
        if (list) list.push(histogram);
        else encoded.set(cls, [histogram]);
        target[cls] = { histogram: '', count: (target[cls]?.count ?? 0) + count };
      }
    }
    for (const [endpoint, f] of Object.entries(p.failed)) {
      out.failed[endpoint] ??= { failed: 0, ok: 0 };
      const t = out.failed[endpoint];
      t.failed += f.failed;
      t.ok += f.ok;
    }
    for (const [name, c] of Object.entries(p.checks)) {
      out.checks[name] ??= { passes: 0, fails: 0 };
      const t = out.checks[name];
      t.passes += c.passes;
      t.fails += c.fails;
    }
    for (const [kind, msgs] of Object.entries(p.errorSamples)) {
      out.errorSamples[kind] ??= [];
      for (const m of msgs) addErrorSample(out.errorSamples, kind, m);
    }
    if (p.framing) {
      out.framing ??= { count: 0, samples: [] };
      out.framing.count += p.framing.count;
      for (const m of p.framing.samples)
        if (out.framing.samples.length < 3 && !out.framing.samples.includes(m)) out.framing.samples.push(m);
    }
    out.dropped += p.dropped;
    out.iterations += p.iterations;
    out.interrupted += p.interrupted;
    out.maxConcurrent = Math.max(out.maxConcurrent, p.maxConcurrent);
    if (p.stoppedBy && !out.stoppedBy) out.stoppedBy = p.stoppedBy;
    if (p.incomplete) out.incomplete = [...(out.incomplete ?? []), ...p.incomplete];
    if (p.k6Crossed) out.k6Crossed = [...new Set([...(out.k6Crossed ?? []), ...p.k6Crossed])];
    if (p.k6Summaries) out.k6Summaries = (out.k6Summaries ?? 0) + p.k6Summaries;
    if (p.sendLag) {
      lags.push(p.sendLag.histogram);
      lagCount += p.sendLag.count;
    }
  }
  if (lags.length > 0) out.sendLag = { histogram: mergeEncoded(lags), count: lagCount };
  for (const [endpoint, byClass] of histograms) {
    for (const [cls, encoded] of byClass) out.durations[endpoint]![cls]!.histogram = mergeEncoded(encoded);
  }
  return out;
}

/** An outcome class of an answered request (an HTTP status class), as opposed to a transport error. */
export const ANSWERED = /^\dxx$/;

/** Every answered request's latency for one endpoint (all HTTP status classes, no transport errors). */
export function answeredHistogram(r: SliceResult, endpoint: string): Histogram | undefined {
  const byClass = r.durations[endpoint];
  if (!byClass) return undefined;
  const parts = Object.entries(byClass)
    .filter(([cls]) => ANSWERED.test(cls))
    .map(([, v]) => decodeHistogram(v.histogram));
  return parts.length === 0 ? undefined : mergeHistograms(parts);
}
