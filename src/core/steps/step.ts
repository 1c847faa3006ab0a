// A request step — the unit of an integration flow, and of a performance scenario's setup and teardown:
// a request, what its answer must be, what it captures for later steps, and how its answers are compared.
// The zod schema is the one description: the types are inferred from it, and the loaders check a user's
// file against it, naming the file, the step and the field before anything is sent.
//
// Text in a request (path, query, headers, json or form values) may use placeholders:
//   {{runId}}         this run's id: put it into data a step creates, so it can be found and cleaned up
//   {{NAME}}          a value captured by an earlier step of the same environment's flow
//   {{env.VAR}}       an environment variable (an API key, say); treated as a secret and redacted everywhere
import { z } from 'zod';
import { normaliserSchema } from '../parity/normalise.js';
import { parsePattern } from '../parity/path.js';

const pattern = z
  .string()
  .refine((p) => typeof parsePattern(p) !== 'string', { error: 'cannot read this path pattern' });

/** How a step's answers are compared across environments. */
export const paritySpecSchema = z.strictObject({
  /** Body paths never compared: `requestId`, `items[*].fetchedAt`, `**.etag`. */
  ignore: z.array(pattern).optional(),
  /**
   * Body paths compared by shape (type and format) rather than value: values that differ by design
   * between environments, such as each realm's own signing key.
   */
  shape: z.array(pattern).optional(),
  /** Normalisers applied to both sides before comparing. */
  normalise: z.array(normaliserSchema).optional(),
  /**
   * Response headers compared, besides the status. Default `['content-type']`; `['*']` compares every
   * header except transport ones (date, connection, content-length, server, …).
   */
  headers: z.array(z.string().min(1)).optional(),
  /** Headers never compared (useful with `headers: ['*']`): `x-request-id`, `etag`. */
  ignoreHeaders: z.array(z.string().min(1)).optional(),
  /**
   * Body paths compared as written: each environment's own base URL, host:port and captured values are
   * not set aside there (by default a string holding the baseline's own address on the baseline side
   * and the target's on the target side counts as equal).
   */
  literal: z.array(pattern).optional(),
});
const zodSchema = z.custom<z.ZodType>(
  (v) =>
    typeof v === 'object' && v !== null && typeof (v as { safeParse?: unknown }).safeParse === 'function',
  'expected a zod schema',
);
const capture = z.string().refine((c) => c.startsWith('header:') || typeof parsePattern(c) !== 'string', {
  error: 'expected a body path such as "id" or "header:location"',
});

/** One step: request, expectations, captures (also a performance scenario's setup and teardown steps). */
export const stepSchema = z.strictObject({
  name: z.string().min(1),
  /** The service the request goes to (its URL in each environment). Default: the flow's. */
  service: z.string().min(1).optional(),
  /** The auth profile (config `auth`) whose bearer token the request carries; `false` for none. */
  auth: z.union([z.string().min(1), z.literal(false)]).optional(),
  request: z
    .strictObject({
      method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']),
      /** A path with placeholders, such as `/api/bookings/{{bookingId}}`; reports name the endpoint by it. */
      path: z.string().startsWith('/', 'expected a path starting with "/"'),
      query: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
      headers: z.record(z.string(), z.string()).optional(),
      /** A JSON body; strings inside it may hold placeholders. */
      json: z.unknown().optional(),
      /** An `application/x-www-form-urlencoded` body. */
      form: z.record(z.string(), z.string()).optional(),
      /** Overrides `integration.timeoutMs` for this request. */
      timeoutMs: z.number().int().min(1).max(300_000).optional(),
      /**
       * Retries after a network error or a 502/503/504. Honoured only for idempotent methods (GET, HEAD,
       * PUT, DELETE, OPTIONS): a POST is never sent twice by Cutover. Default `integration.retries`.
       */
      retries: z.number().int().min(0).max(5).optional(),
    })
    .refine(
      (r) => r.json === undefined || r.form === undefined,
      'a request has a json body or a form body, not both',
    ),
  expect: z
    .strictObject({
      /** Expected status (or any of several). Default: any 2xx. */
      status: z
        .union([z.number().int().min(100).max(599), z.array(z.number().int().min(100).max(599)).min(1)])
        .optional(),
      /** A zod schema the JSON body must satisfy. */
      schema: zodSchema.optional(),
      /** Headers that must be present with this value, or matching this pattern. */
      headers: z.record(z.string(), z.union([z.string(), z.instanceof(RegExp)])).optional(),
      /** A slower response fails this step's check. */
      maxDurationMs: z.number().positive().optional(),
      /** What the body must be. Default `json` (an empty body is accepted for 204 and HEAD). */
      body: z.enum(['json', 'text', 'empty']).optional(),
    })
    .optional(),
  /**
   * Values to keep for later steps: `{ bookingId: 'id' }` takes a body path, `'header:location'` a
   * header. Each environment follows its own values; parity compares their shapes, not their values.
   */
  capture: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a variable name'), capture)
    .optional(),
  /** Whether (and how) this step's responses are compared across environments. Default true. */
  parity: z.union([z.boolean(), paritySpecSchema]).optional(),
});

export type HttpMethod = z.output<typeof stepSchema>['request']['method'];
/** A request: method, path with placeholders, query, headers, a `json` or `form` body, deadline, retries. */
export type StepRequest = z.output<typeof stepSchema>['request'];
/** What the answer must be: status (default any 2xx), a zod `schema`, headers, duration, body kind. */
export type StepExpect = NonNullable<z.output<typeof stepSchema>['expect']>;
export type ParitySpec = z.output<typeof paritySpecSchema>;
export type Step = z.output<typeof stepSchema>;
