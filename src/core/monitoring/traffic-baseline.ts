// The Compose side's traffic as Prometheus saw it, recorded by hour of the week into a baseline
// (`cutover baseline record --traffic 7d`): per service and hour (0 = Monday 00:00–01:00 UTC), the
// requests, failed requests and latency-bucket counts summed over every recorded week. `cutover watch
// --baseline NAME` compares each window with the same hour of the week — Monday morning's traffic with
// Monday morning's — and with all recorded hours together where that hour is missing. Pure.
import { z } from 'zod';

/** One bucket: its upper bound in ms (null for +Inf, which JSON cannot hold) and its own count. */
const bucketSchema = z.tuple([z.number().nullable(), z.number().nonnegative()]);

export const hourFigureSchema = z.object({
  requests: z.number().nonnegative(),
  errors: z.number().nonnegative(),
  buckets: z.array(bucketSchema),
  /** How many recorded hours were summed into this one (one per week). */
  hours: z.number().int().positive(),
});

export type HourFigure = z.output<typeof hourFigureSchema>;

export const trafficBaselineSchema = z.object({
  /** The Prometheus the figures were read from, and the environment. */
  prometheus: z.string(),
  environment: z.string(),
  from: z.string(),
  to: z.string(),
  /** service → hour of the week ("0".."167") → figures. */
  services: z.record(z.string(), z.record(z.string(), hourFigureSchema)),
});

export type TrafficBaseline = z.output<typeof trafficBaselineSchema>;

const HOUR_MS = 3_600_000;

/** The hour of the week of a time in ms since the epoch, UTC, Monday 00:00 = 0. The epoch was a Thursday. */
export function hourOfWeek(ms: number): number {
  const day = Math.floor(ms / (24 * HOUR_MS));
  const weekday = (day + 3) % 7;
  return weekday * 24 + (Math.floor(ms / HOUR_MS) % 24);
}

/** Adds one hour's figures into an accumulated one (same bucket layout assumed; a new bound is added). */
export function addHour(
  into: HourFigure | undefined,
  hour: Omit<HourFigure, 'hours'> & { hours?: number },
): HourFigure {
  if (!into) return { ...hour, buckets: hour.buckets.map(([le, c]) => [le, c]), hours: hour.hours ?? 1 };
  const byLe = new Map(into.buckets.map(([le, c]) => [le, c]));
  for (const [le, c] of hour.buckets) byLe.set(le, (byLe.get(le) ?? 0) + c);
  const buckets = [...byLe.entries()].sort(
    ([a], [b]) => (a ?? Number.POSITIVE_INFINITY) - (b ?? Number.POSITIVE_INFINITY),
  );
  return {
    requests: into.requests + hour.requests,
    errors: into.errors + hour.errors,
    buckets,
    hours: into.hours + (hour.hours ?? 1),
  };
}

/**
 * The figures to compare a window at `ms` with: the same hour of the week, else every recorded hour of
 * the service together (said in `note`); undefined when the service has none.
 */
export function figureFor(
  baseline: TrafficBaseline,
  service: string,
  ms: number,
): { figure: HourFigure; note: string } | undefined {
  const hours = baseline.services[service];
  if (!hours || Object.keys(hours).length === 0) return undefined;
  const hour = hourOfWeek(ms);
  const same = hours[String(hour)];
  if (same && same.requests > 0) return { figure: same, note: `hour ${hour} of the week` };
  let all: HourFigure | undefined;
  for (const h of Object.values(hours)) all = addHour(all, h);
  return { figure: all!, note: `every recorded hour (none for hour ${hour} of the week)` };
}
