// The smoke suite's user-facing side: each service's health rule (`services.<id>.health`: what a healthy
// answer is) and the config's `smoke` section (probes, deadline, concurrency, body cap, certificate age).
import { z } from 'zod';

/** A JSON scalar a health payload field is expected to equal. */
const jsonScalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const healthSchema = z.strictObject({
  /** Path of the health endpoint, such as `/v1/sys/health`. */
  path: z.string().startsWith('/', 'expected a path starting with "/"'),
  /** Expected HTTP status. @default 200 */
  status: z.number().int().min(100).max(599).default(200),
  /** Expected media type of the health response, such as `application/json`. */
  contentType: z.string().min(1).optional(),
  /** Fields of a JSON health payload and the values that mean healthy, by dotted path: `{ sealed: false }`. */
  json: z.record(z.string().min(1), jsonScalar).optional(),
  /** Text a plain health payload must contain, such as Traefik's `OK`. */
  contains: z.string().min(1).optional(),
});

export const smokeSchema = z
  .strictObject({
    /** Latency probes per service after the first request. @default 3 */
    probes: z.number().int().min(1).max(50).default(3),
    /** Per-request timeout in milliseconds. @default 5000 */
    timeoutMs: z.number().int().min(50).max(120_000).default(5000),
    /** Requests in flight at once across the suite. @default 8 */
    concurrency: z.number().int().min(1).max(64).default(8),
    /** Largest health body read; more is a failed check. @default 1 MiB */
    maxBodyBytes: z
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(1024 * 1024),
    /** A certificate expiring in fewer days fails the TLS check. @default 14 */
    certMinDays: z.number().int().min(0).max(365).default(14),
  })
  .default({ probes: 3, timeoutMs: 5000, concurrency: 8, maxBodyBytes: 1024 * 1024, certMinDays: 14 });

export type HealthSpec = z.output<typeof healthSchema>;

/** A service's health URL: its base URL (a trailing slash or not) and the health path. */
export function healthUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path;
}
export type SmokeSettings = z.output<typeof smokeSchema>;
