// The smoke suite's user-facing side: each service's health rule (`services.<id>.health`: what a healthy
// answer is) and the config's `smoke` section (probes, deadline, concurrency, body cap, certificate age).
import { z } from 'zod';

/** A JSON scalar a health payload field is expected to equal. */
const jsonScalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const healthSchema = z.strictObject({
  path: z
    .string()
    .startsWith('/', 'expected a path starting with "/"')
    .describe('The path of the health endpoint, such as `/v1/sys/health`.'),
  status: z.number().int().min(100).max(599).default(200).describe('The expected HTTP status.'),
  contentType: z
    .string()
    .min(1)
    .optional()
    .describe('The expected media type of the answer, such as `application/json`.'),
  json: z
    .record(z.string().min(1), jsonScalar)
    .optional()
    .describe(
      'Fields of a JSON payload, by path (`checks[0].status`), and the values that mean healthy: `{ "sealed": false }`.',
    ),
  contains: z
    .string()
    .min(1)
    .optional()
    .describe('Text a plain payload must contain, such as Traefik’s `OK`.'),
});

export const smokeSchema = z
  .strictObject({
    probes: z
      .number()
      .int()
      .min(1)
      .max(50)
      .default(3)
      .describe('Latency probes per service after the first request.'),
    timeoutMs: z
      .number()
      .int()
      .min(50)
      .max(120_000)
      .default(5000)
      .describe('The per-request deadline, in ms.'),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(8)
      .describe('Requests in flight at once across the suite.'),
    maxBodyBytes: z
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(1024 * 1024)
      .describe('The largest health body read (1 MiB by default); more is a failed check.'),
    certMinDays: z
      .number()
      .int()
      .min(0)
      .max(365)
      .default(14)
      .describe('A certificate expiring in fewer days fails the TLS check (HTTP security uses it too).'),
  })
  .default({ probes: 3, timeoutMs: 5000, concurrency: 8, maxBodyBytes: 1024 * 1024, certMinDays: 14 });

export type HealthSpec = z.output<typeof healthSchema>;

/** A service's health URL: its base URL (a trailing slash or not) and the health path. */
export function healthUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path;
}
export type SmokeSettings = z.output<typeof smokeSchema>;
