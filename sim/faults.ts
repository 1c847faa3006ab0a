// Turns the fault specs aimed at one (environment, service) listener into the few decisions the generic
// stand-in makes per request. Kept free of I/O so each decision can be tested on its own; the stand-in
// does the waiting.

import { type Fault, type FaultSpec, MAX_FAULT_DELAY_MS } from 'cutover';
import { lognormal, type Rng, seededRng } from './rng.js';

export interface FaultPlan {
  /** The listener does not listen at all, so clients see connection refused. */
  down: boolean;
  /**
   * Rolls the error faults for one request: true means answer 500 instead of running the handler. A
   * step fault (`errors=20%@30s`) counts only from its start, so it needs the request's time `nowMs`;
   * a caller that gives none gets the faults without a start.
   */
  injectError(nowMs?: number): boolean;
  /** Extra latency for one request, from the fixed and lognormal latency faults together (steps as above). */
  latencyMs(nowMs?: number): number;
  /**
   * How long a response about to be sent at `nowMs` must wait for the stalls to end. Windows that touch
   * are chained, and the answer comes from arithmetic rather than re-reading the clock, so an injected
   * frozen clock cannot hold a response forever.
   */
  stallWaitMs(nowMs: number): number;
  /** Applies the drift faults to a JSON body, returning a changed copy (handler state stays intact). */
  drift(body: unknown): unknown;
}

export function faultsFor(specs: readonly FaultSpec[], environment: string, service: string): Fault[] {
  return specs.filter((f) => f.environment === environment && f.service === service).map((f) => f.fault);
}

export function planFaults(
  faults: readonly Fault[],
  seed: number,
  label: string,
  startedAtMs: number,
): FaultPlan {
  // One stream per purpose: adding a latency fault must not change which requests the error fault hits.
  const errorRng = seededRng(seed, label, 'errors');
  const latencyRng = seededRng(seed, label, 'latency');
  const errorRates: Array<{ rate: number; from: number }> = [];
  const latencies: Array<{ sample: (rng: Rng) => number; from: number }> = [];
  // A fault without a start applies from the beginning; one with a start only once the clock reaches it.
  const from = (f: { afterMs?: number }) =>
    f.afterMs === undefined ? Number.NEGATIVE_INFINITY : startedAtMs + f.afterMs;
  const active = (start: number, nowMs: number | undefined) =>
    start === Number.NEGATIVE_INFINITY || (nowMs !== undefined && nowMs >= start);
  const stalls: Array<{ start: number; end: number }> = [];
  const drifts: Array<{ path: PathToken[]; mode: DriftMode }> = [];
  let down = false;
  for (const f of faults) {
    switch (f.kind) {
      case 'down':
        down = true;
        break;
      case 'latency-fixed':
        latencies.push({ sample: () => f.addMs, from: from(f) });
        break;
      case 'latency-lognormal':
        // A heavy tail (sigma up to 5) can draw beyond what a timer holds; cut it at the longest delay.
        latencies.push({
          sample: (rng) => Math.min(lognormal(rng, f.medianMs, f.sigma), MAX_FAULT_DELAY_MS),
          from: from(f),
        });
        break;
      case 'errors':
        errorRates.push({ rate: f.rate, from: from(f) });
        break;
      case 'drift':
        drifts.push({ path: parsePath(f.path), mode: f.mode });
        break;
      case 'stall':
        stalls.push({ start: startedAtMs + f.afterMs, end: startedAtMs + f.afterMs + f.durationMs });
        break;
      case 'posture':
        // Posture defects concern the Kubernetes objects, not HTTP behaviour.
        break;
      case 'backup':
        // Velero defects shape the simulated cluster's Velero objects (kube/velero.ts).
        break;
      case 'monitoring':
        // Monitoring defects shape what a monitoring stand-in answers (routes/loki.ts), or the demo's
        // real Prometheus and Alertmanager; they change no request's behaviour.
        break;
      case 'page':
      // Page defects shape what a web frontend serves (web/front.ts), not every request's answer.
      case 'data':
        // Data defects are applied to the target's database by the demo (sim/databases.ts).
        break;
    }
  }
  return {
    down,
    // Every rate is rolled even after a hit, so the stream advances the same way whatever the outcome.
    // A step not yet started still rolls, so the stream is the same before and after it starts.
    injectError: (nowMs) =>
      errorRates.map((e) => errorRng() < e.rate && active(e.from, nowMs)).includes(true),
    latencyMs: (nowMs) =>
      latencies.reduce((sum, l) => {
        const ms = l.sample(latencyRng);
        return sum + (active(l.from, nowMs) ? ms : 0);
      }, 0),
    stallWaitMs: (nowMs) => {
      let until = nowMs;
      for (let moved = true; moved; ) {
        moved = false;
        for (const s of stalls) {
          if (s.start <= until && until < s.end) {
            until = s.end;
            moved = true;
          }
        }
      }
      return until - nowMs;
    },
    drift: (body) => {
      if (drifts.length === 0 || body === undefined) return body;
      const copy = structuredClone(body);
      for (const d of drifts) applyDrift(copy, d.path, d.mode);
      return copy;
    },
  };
}

export type DriftMode = 'value' | 'missing' | 'type';
export type PathToken = string | number;

/** `result.originCountry` → ['result', 'originCountry']; `items[0].id` → ['items', 0, 'id']. */
export function parsePath(path: string): PathToken[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

/** Changes the value at `path` in place when the path exists; bodies without it are left alone. */
export function applyDrift(root: unknown, path: readonly PathToken[], mode: DriftMode): void {
  if (path.length === 0) return;
  let parent: unknown = root;
  for (const token of path.slice(0, -1)) {
    if (!hasKey(parent, token)) return;
    parent = (parent as Record<PathToken, unknown>)[token];
  }
  const last = path[path.length - 1]!;
  if (!hasKey(parent, last)) return;
  const container = parent as Record<PathToken, unknown>;
  if (mode === 'missing') {
    if (Array.isArray(container)) container.splice(last as number, 1);
    else delete container[last];
    return;
  }
  container[last] = mode === 'value' ? driftValue(container[last]) : driftType(container[last]);
}

function hasKey(value: unknown, token: PathToken): boolean {
  if (typeof token === 'number') return Array.isArray(value) && token < value.length;
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, token);
}

/** Another value of the same JSON type, plausible enough that only a value comparison catches it. */
export function driftValue(value: unknown): unknown {
  if (typeof value === 'string') {
    // A country code stays a country code, so a format check passes and only the parity diff sees it.
    if (/^[A-Z]{2}$/.test(value)) return value === 'DE' ? 'BE' : 'DE';
    return `${value}-drift`;
  }
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  if (Array.isArray(value)) return [...value, value[value.length - 1] ?? null];
  if (value !== null && typeof value === 'object') return { ...value, drift: true };
  return value;
}

/** The same information under another JSON type, which a schema check should catch. */
export function driftType(value: unknown): unknown {
  if (typeof value === 'string') return 42;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return Object.fromEntries(value.map((v, i) => [String(i), v]));
  if (value !== null && typeof value === 'object') return Object.values(value);
  return 'null';
}
