// Runs one slice of one scenario against one environment in the current thread: the open model
// (arrival-rate executors, latency from each iteration's scheduled start, as wrk2 measures, so a
// stalled server cannot hide behind the requests it prevented) or the closed model (VU executors).
import { setTimeout as sleep, setImmediate as yieldNow } from 'node:timers/promises';
import { arrivalTimes, levelAt, type Profile, parseDuration } from '../../core/load/profile.js';
import {
  buildRequest,
  endpointOf,
  HostRefusedError,
  type IterationContext,
  isExpected,
  type PerformanceScenario,
  requestUrl,
  weightedPicker,
} from '../../core/load/scenario.js';
import type { PinMap } from '../http/pinning.js';
import { createPool, discardPool, sharedPool } from './client.js';
import {
  SliceRecorder as Recorder,
  type SecondReport,
  type SliceRecorder,
  type SliceResult,
  statusClass,
} from './recorder.js';
import { checkResponse, runChecks } from './scenario-checks.js';
import type { WireSend } from './wire/pool.js';
import { serialiseRequest } from './wire/request-bytes.js';

export interface SliceSpec {
  scenario: string;
  environment: string;
  baseUrl: string;
  pins: PinMap;
  insecure?: boolean;
  ca?: string;
  timeoutMs: number;
  /** The timeline this slice runs (already cut to its A/B block). */
  profile: Profile;
  /** Which share of the iterations (arrival) or VUs (closed) is this thread's: like k6's execution segments. */
  slice: { index: number; count: number };
  /** Hard cap on the requests of the whole run (performance.limits.maxRequests). */
  maxRequests: number;
  /**
   * The run's request counter, shared by every thread, block and scenario (a SharedArrayBuffer), so the
   * cap holds for the run as a whole; a slice without one counts only its own requests.
   */
  budget?: Int32Array;
  /** Only the environment variables the scenario names. */
  env: Record<string, string | undefined>;
  /** `runId` and what the scenario's setup captured in this environment, for the requests' placeholders. */
  vars?: Record<string, string>;
}

/** Closer than this to its schedule, an open-model iteration is sent. */
const ON_TIME_MS = 0.02;

export async function runSlice(
  scenario: PerformanceScenario,
  spec: SliceSpec,
  options: { signal?: AbortSignal; onSecond?: (r: SecondReport) => void; privatePool?: boolean } = {},
): Promise<SliceResult> {
  const { profile, slice } = spec;
  const share = (n: number) => Math.max(1, Math.ceil(n / slice.count));
  // One connection per VU the slice may run (k6's VUs each hold one).
  const connections = share(profile.maxVUs);
  const poolOptions = {
    pins: spec.pins,
    connections,
    timeoutMs: spec.timeoutMs,
    ...(spec.insecure ? { insecure: true } : {}),
    ...(spec.ca ? { ca: spec.ca } : {}),
  };
  // A private pool when the caller asks for one; otherwise the thread's pool, kept across blocks.
  const pool = options.privatePool
    ? createPool(spec.baseUrl, poolOptions)
    : sharedPool(spec.baseUrl, poolOptions);
  const t0 = performance.now();
  const rec: SliceRecorder = new Recorder(spec.scenario, spec.environment, t0, options.onSecond);
  const picker = weightedPicker(scenario.requests.map((r) => r.weight));
  const endpoints = scenario.requests.map(endpointOf);
  const sleepMs = scenario.sleep ? parseDuration(scenario.sleep) : 0;
  let stopping = false;
  let refused: HostRefusedError | undefined;
  // Iterations in flight, and who waits for them all to end (the graceful stop): a counter rather than
  // a set of promises, which cost a promise and two set operations per request.
  let inFlight = 0;
  let onDrained: (() => void) | undefined;
  const drained = () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => (onDrained = r)));

  // What the pool sends for a request: serialised once when nothing in it depends on the iteration, and
  // then the same object every time. Headers and body are collected only for requests with checks.
  const prepare = (req: (typeof scenario.requests)[number], ctx: IterationContext): WireSend => {
    const built = buildRequest(req, ctx);
    const url = new URL(requestUrl(spec.baseUrl, built.path));
    const bytes = serialiseRequest({
      method: req.method,
      path: url.pathname + url.search,
      host: url.host,
      headers: built.headers,
      ...(built.body ? { body: built.body.text } : {}),
    });
    const checked = Object.keys(req.checks ?? {}).length > 0;
    return { bytes, method: req.method, wantHeaders: checked, wantBody: checked };
  };
  const isStatic = (req: (typeof scenario.requests)[number]) =>
    typeof req.path === 'string' && typeof req.body !== 'function' && typeof req.headers !== 'function';
  const vars = spec.vars ?? {};
  const prepared = scenario.requests.map((r) =>
    isStatic(r) ? prepare(r, { iteration: 0, vu: 0, env: spec.env, vars }) : undefined,
  );

  /**
   * Starts one iteration; `then` runs when it has ended. Callbacks rather than promises: three promise
   * frames per request cost the engine about a tenth of its CPU at wrk-class rates.
   */
  const launch = (
    iteration: number,
    vu: number,
    scheduled: number | undefined,
    then?: (now: number) => void,
  ): void => {
    inFlight++;
    if (inFlight > rec.maxConcurrent) rec.maxConcurrent = inFlight;
    // `now` is when the iteration ended, handed on so the next one need not read the clock again.
    const ended = (now: number) => {
      if (--inFlight === 0 && onDrained) {
        const wake = onDrained;
        onDrained = undefined;
        wake();
      }
      then?.(now);
    };
    const which = picker();
    const req = scenario.requests[which]!;
    const endpoint = endpoints[which]!;
    rec.iterations++;
    let target: WireSend;
    try {
      target = prepared[which] ?? prepare(req, { iteration, vu, env: spec.env, vars });
    } catch (error) {
      if (error instanceof HostRefusedError) refused ??= error;
      else rec.error('other', `the scenario could not build ${endpoint}: ${(error as Error).message}`);
      stopping = stopping || error instanceof HostRefusedError;
      // Later, not now: a VU loop that continued synchronously after a failure could recurse forever.
      setImmediate(() => ended(performance.now()));
      return;
    }
    // Latency counts from the scheduled start when the request went out late (coordinated omission),
    // but never from a moment after it was sent: timers may wake up to a millisecond early, and a
    // loopback answer can arrive before the scheduled instant, which would give a negative latency.
    const sentAt = performance.now();
    let start = sentAt;
    if (scheduled !== undefined) {
      start = Math.min(scheduled, sentAt);
      rec.lag(sentAt - start);
    }
    pool.request(
      target,
      (failure, r) => {
        const end = performance.now();
        try {
          if (failure) {
            if (stopping || failure.kind === 'aborted') rec.interrupt();
            else {
              rec.request(endpoint, failure.kind, end - start, true, end);
              rec.error(failure.kind, failure.message);
              for (const name of Object.keys(req.checks ?? {})) rec.check(name, false);
            }
          } else {
            const status = r!.status;
            rec.request(endpoint, statusClass(status), end - start, !isExpected(req, status), end);
            if (r!.framing) rec.framing(`${endpoint}: ${r!.framing.message}`);
            if (req.checks) runChecks(req.checks, checkResponse(r!), rec);
          }
        } catch (error) {
          // Nothing here should throw; if something does, it is counted, not lost or fatal.
          rec.error('other', `an iteration failed inside the engine: ${(error as Error).message}`);
        }
        ended(end);
      },
      sentAt,
    );
  };

  const halted = () => stopping || options.signal?.aborted === true;
  // One callback per event-loop turn until `due`: awaiting a promise per turn made about 80 MB/s of
  // garbage at 200 arrivals/s, a scavenge every 40 ms.
  const untilDue = (due: number) =>
    new Promise<void>((resolve) => {
      const turn = () => (performance.now() >= due - ON_TIME_MS || halted() ? resolve() : setImmediate(turn));
      setImmediate(turn);
    });
  const budget = spec.budget ?? new Int32Array(1);
  const limitReached = () => {
    if (rec.stoppedBy) return true;
    if (Atomics.add(budget, 0, 1) < spec.maxRequests) return false;
    rec.stoppedBy = `the safety limit of ${spec.maxRequests} requests (performance.limits.maxRequests)`;
    return true;
  };

  if (profile.model === 'arrival') {
    const maxVUs = share(profile.maxVUs);
    let index = 0;
    let burst = 0;
    for (const at of arrivalTimes(profile)) {
      const iteration = index++;
      if (iteration % slice.count !== slice.index) continue;
      if (halted() || limitReached()) break;
      const due = t0 + at;
      const now = performance.now();
      if (due > now + 0.5) {
        await sleep(due - now);
        // Timers run on the event loop's whole-millisecond clock and may wake up to a millisecond early;
        // sending then would start the request before its schedule. The rest passes in event-loop turns
        // (responses are handled between them). Measured against both alternatives: waking early on
        // purpose was no better, and sending on the early wake put the send lag's p50 at 0.7–1.5 ms
        // instead of ~0.01 (BENCHMARKS.md, "Accuracy").
        if (performance.now() < due - ON_TIME_MS) await untilDue(due);
        burst = 0;
        if (halted()) break;
      } else if (++burst >= 64) {
        // Behind schedule: launch in bursts but let responses in, or the loop would starve them.
        burst = 0;
        await yieldNow();
      }
      if (inFlight >= maxVUs) rec.drop(performance.now());
      else launch(iteration, inFlight, due);
    }
  } else {
    const stopAt = t0 + profile.durationMs;
    // VUs without think time send their next request once the event loop has read every answer that
    // was ready, one setImmediate per batch, as wrk does. Sending from inside each answer's callback put
    // the next request's write — on loopback the kernel delivers it within the call — into the latency
    // of every answer read after it in the same turn: +0.25 ms at p50 against wrk with 4 VUs
    // (BENCHMARKS.md, "Accuracy").
    // A VU whose next iteration fails at once queues itself for the next turn, not this batch.
    let ready: Array<(now: number) => void> = [];
    const flushReady = () => {
      const batch = ready;
      ready = [];
      const now = performance.now();
      for (const next of batch) next(now);
    };
    const whenReadDone = (next: (now: number) => void) => {
      if (ready.push(next) === 1) setImmediate(flushReady);
    };
    const running = new Set<number>();
    // VUs done for this block because their think time would outlast it: not to be started again.
    const retired = new Set<number>();
    const vuLoop = (vu: number) =>
      new Promise<void>((done) => {
        running.add(vu);
        let n = 0;
        const next = (now = performance.now()): void => {
          if (halted() || now >= stopAt || levelAt(profile, now - t0) <= vu || limitReached()) {
            running.delete(vu);
            done();
            return;
          }
          launch(n++ * slice.count + vu, vu, undefined, afterIteration);
        };
        // A VU whose think time would outlast the block ends now: no iteration may start after the
        // block, and the VU must not hold the block open just to sleep. (Sleeping only until the block's
        // end started one more iteration on a short think time whenever the timer woke a little early.)
        const afterIteration =
          sleepMs > 0
            ? (now: number) => {
                if (now + sleepMs < stopAt) setTimeout(next, sleepMs);
                else {
                  retired.add(vu);
                  next(stopAt);
                }
              }
            : () => whenReadDone(next);
        next();
      });
    const loops: Promise<void>[] = [];
    while (!halted() && !rec.stoppedBy && performance.now() < stopAt) {
      const level = Math.ceil(levelAt(profile, performance.now() - t0) - 1e-9);
      for (let vu = slice.index; vu < level; vu += slice.count) {
        if (!running.has(vu) && !retired.has(vu)) loops.push(vuLoop(vu));
      }
      rec.tick(performance.now());
      await sleep(Math.min(100, Math.max(1, stopAt - performance.now())));
    }
    await Promise.all(loops.map((l) => Promise.race([l, sleep(profile.gracefulStopMs)])));
  }

  // k6's gracefulStop: iterations in flight may finish; after it they are interrupted, not measured.
  if (inFlight > 0) await Promise.race([drained(), sleep(profile.gracefulStopMs)]);
  stopping = true;
  if (inFlight > 0 || options.privatePool) {
    // Requests still in flight after gracefulStop are cut off with their connections.
    discardPool(pool);
    await drained();
  }
  if (refused) throw refused;
  if (options.signal?.aborted && !rec.stoppedBy) rec.stoppedBy = 'interrupted';
  return rec.finish(performance.now());
}
