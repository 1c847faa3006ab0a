// k6's executors reduced to one timeline: how many iterations per millisecond (open model) or how many
// VUs (closed model) at each moment. Pure and free of value imports on purpose (the executor types come
// from schema.ts, erased when compiled): the k6 bundles include this file too, so a window cut for an A/B
// block means the same thing in both engines.

import type {
  ConstantArrivalRate,
  ConstantVus,
  ExecutorConfig,
  RampingArrivalRate,
  RampingVus,
  Stage,
} from './schema.js';

export type { ConstantArrivalRate, ConstantVus, ExecutorConfig, RampingArrivalRate, RampingVus, Stage };

export const EXECUTORS = [
  'constant-arrival-rate',
  'ramping-arrival-rate',
  'constant-vus',
  'ramping-vus',
] as const;

/** A linear piece of the timeline: `from`/`to` are iterations per ms (arrival) or VUs (closed). */
export interface Segment {
  startMs: number;
  endMs: number;
  from: number;
  to: number;
}

export interface Profile {
  model: 'arrival' | 'vus';
  segments: Segment[];
  durationMs: number;
  /** Arrival model: VUs ready at start, and the most it may grow to (k6's preAllocatedVUs / maxVUs). */
  preAllocatedVUs: number;
  maxVUs: number;
  gracefulStopMs: number;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** k6/Go durations: `30s`, `1m30s`, `500ms`, `1h`, or a bare number of ms. Throws on anything else. */
export function parseDuration(text: string | number): number {
  if (typeof text === 'number') {
    if (!Number.isFinite(text) || text < 0) throw new Error(`invalid duration ${text}`);
    return text;
  }
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const parts = [...s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== s) {
    throw new Error(`invalid duration "${text}"; expected k6's form such as 30s, 1m30s or 500ms`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]!]!, 0);
}

export function formatDuration(ms: number): string {
  if (ms % 60_000 === 0 && ms >= 60_000) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${Math.round(ms)}ms`;
}

function stagesToSegments(start: number, stages: readonly Stage[], scale: number): Segment[] {
  const out: Segment[] = [];
  let t = 0;
  let level = start * scale;
  for (const stage of stages) {
    const d = parseDuration(stage.duration);
    const next = stage.target * scale;
    if (d > 0) out.push({ startMs: t, endMs: t + d, from: level, to: next });
    t += d;
    level = next;
  }
  return out;
}

/** The executor's timeline. Throws with a readable message when the options are not valid k6 options. */
export function toProfile(cfg: ExecutorConfig): Profile {
  const gracefulStopMs = parseDuration(cfg.gracefulStop ?? '30s');
  switch (cfg.executor) {
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate': {
      const unit = parseDuration(cfg.timeUnit ?? '1s');
      if (unit <= 0) throw new Error('timeUnit must be more than 0');
      if (!(cfg.preAllocatedVUs >= 1)) throw new Error('preAllocatedVUs is required and must be at least 1');
      const maxVUs = cfg.maxVUs ?? cfg.preAllocatedVUs;
      if (maxVUs < cfg.preAllocatedVUs) throw new Error('maxVUs must not be less than preAllocatedVUs');
      let segments: Segment[];
      if (cfg.executor === 'constant-arrival-rate') {
        if (!(cfg.rate > 0)) throw new Error('rate must be more than 0');
        const d = parseDuration(cfg.duration);
        segments = [{ startMs: 0, endMs: d, from: cfg.rate / unit, to: cfg.rate / unit }];
      } else {
        if (!cfg.stages?.length) throw new Error('stages are required');
        segments = stagesToSegments(cfg.startRate ?? 0, cfg.stages, 1 / unit);
      }
      const durationMs = segments.at(-1)?.endMs ?? 0;
      if (durationMs <= 0) throw new Error('duration must be more than 0');
      return {
        model: 'arrival',
        segments,
        durationMs,
        preAllocatedVUs: cfg.preAllocatedVUs,
        maxVUs,
        gracefulStopMs,
      };
    }
    case 'constant-vus':
    case 'ramping-vus': {
      let segments: Segment[];
      if (cfg.executor === 'constant-vus') {
        const vus = cfg.vus ?? 1;
        if (!(vus >= 1)) throw new Error('vus must be at least 1');
        segments = [{ startMs: 0, endMs: parseDuration(cfg.duration), from: vus, to: vus }];
      } else {
        if (!cfg.stages?.length) throw new Error('stages are required');
        segments = stagesToSegments(cfg.startVUs ?? 1, cfg.stages, 1);
      }
      const durationMs = segments.at(-1)?.endMs ?? 0;
      if (durationMs <= 0) throw new Error('duration must be more than 0');
      const peak = Math.max(...segments.flatMap((s) => [s.from, s.to]));
      return { model: 'vus', segments, durationMs, preAllocatedVUs: peak, maxVUs: peak, gracefulStopMs };
    }
  }
}

/** The level (iterations/ms or VUs) at time t. */
export function levelAt(p: Profile, t: number): number {
  for (const s of p.segments) {
    if (t >= s.startMs && t < s.endMs)
      return s.from + ((s.to - s.from) * (t - s.startMs)) / (s.endMs - s.startMs);
  }
  return 0;
}

/** The part of the timeline between fromMs and toMs, shifted to start at 0 (one A/B block). */
export function windowProfile(p: Profile, fromMs: number, toMs: number): Profile {
  const segments: Segment[] = [];
  for (const s of p.segments) {
    const a = Math.max(s.startMs, fromMs);
    const b = Math.min(s.endMs, toMs);
    if (b <= a) continue;
    const at = (t: number) => s.from + ((s.to - s.from) * (t - s.startMs)) / (s.endMs - s.startMs);
    segments.push({ startMs: a - fromMs, endMs: b - fromMs, from: at(a), to: at(b) });
  }
  return { ...p, segments, durationMs: Math.max(0, Math.min(toMs, p.durationMs) - fromMs) };
}

/** Expected iterations of an arrival timeline (the integral of its rate). */
export function expectedIterations(p: Profile): number {
  if (p.model !== 'arrival') return Number.NaN;
  return p.segments.reduce((n, s) => n + ((s.from + s.to) / 2) * (s.endMs - s.startMs), 0);
}

export function peakLevel(p: Profile): number {
  return Math.max(0, ...p.segments.flatMap((s) => [s.from, s.to]));
}

/**
 * Scheduled start times of an arrival timeline, in ms from its start: iteration i starts when the
 * integral of the rate reaches i. Ramps solve the quadratic of a linear rate, so a ramp from 0 is exact.
 */
export function* arrivalTimes(p: Profile): Generator<number> {
  let carried = 0; // iterations accumulated before the current segment, fractional
  let next = 0; // index of the next iteration (its start is where the integral reaches next)
  for (const s of p.segments) {
    const len = s.endMs - s.startMs;
    const slope = (s.to - s.from) / len;
    const total = ((s.from + s.to) / 2) * len;
    while (next < carried + total) {
      const need = next - carried;
      let dt: number;
      if (Math.abs(slope) < 1e-15) dt = s.from > 0 ? need / s.from : len;
      else {
        const disc = s.from * s.from + 2 * slope * need;
        dt = (-s.from + Math.sqrt(Math.max(0, disc))) / slope;
      }
      yield s.startMs + Math.min(Math.max(dt, 0), len);
      next++;
    }
    carried += total;
  }
}
