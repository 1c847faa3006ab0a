// A performance (load) scenario in k6's vocabulary, as one zod schema: one executor with k6's options, a
// weighted mix of requests with k6-style checks and tags, k6 thresholds, and a setup and teardown. The
// types are inferred from it, and the loader checks a scenario file against it, naming the file and the
// field. Objects are strict, as k6 unmarshals its options strictly: `preallocatedVUs` is refused here,
// not inside k6. This module is never bundled into a k6 script (scenario.ts, profile.ts and the runtime
// import its types only), so zod stays out of the scripts.
import { z } from 'zod';
import { stepSchema } from '../steps/step.js';
import { parseDuration } from './profile.js';

/** k6/Go durations: `30s`, `1m30s`, `500ms`, `1h`. */
const duration = z
  .string()
  .regex(/^(\d+(\.\d+)?(ms|s|m|h))+$/, 'expected a k6 duration such as 30s, 1m30s or 500ms');

export const stageSchema = z.strictObject({ duration, target: z.number().min(0) });

const vus = z.number().int().min(1);
const common = { gracefulStop: duration.optional(), startTime: duration.optional() };

const executorUnion = z.discriminatedUnion(
  'executor',
  [
    z.strictObject({
      executor: z.literal('constant-arrival-rate'),
      rate: z.number().positive(),
      timeUnit: duration.optional(),
      duration,
      preAllocatedVUs: vus,
      maxVUs: vus.optional(),
      ...common,
    }),
    z.strictObject({
      executor: z.literal('ramping-arrival-rate'),
      startRate: z.number().min(0).optional(),
      timeUnit: duration.optional(),
      stages: z.array(stageSchema).min(1),
      preAllocatedVUs: vus,
      maxVUs: vus.optional(),
      ...common,
    }),
    z.strictObject({
      executor: z.literal('constant-vus'),
      vus: vus.optional(),
      duration,
      ...common,
    }),
    z.strictObject({
      executor: z.literal('ramping-vus'),
      startVUs: z.number().int().min(0).optional(),
      stages: z.array(stageSchema).min(1),
      gracefulRampDown: duration.optional(),
      ...common,
    }),
  ],
  {
    error:
      'expected executor constant-arrival-rate, ramping-arrival-rate, constant-vus or ramping-vus (the executors Cutover runs)',
  },
);

export const executorSchema = executorUnion.superRefine(k6Validate);

/**
 * What k6 checks of an executor's values before it starts (lib/executor/*.go, `Validate`), checked when a
 * scenario loads, so a scenario k6 would refuse never reaches k6 or a runner pod: constant executors run
 * at least 1 s, `maxVUs` is not below `preAllocatedVUs`, `timeUnit` is more than 0.
 */
function k6Validate(e: z.output<typeof executorUnion>, ctx: z.RefinementCtx): void {
  const refuse = (path: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [path], message: `k6 refuses it: ${message}` });
  if (
    (e.executor === 'constant-arrival-rate' || e.executor === 'constant-vus') &&
    parseDuration(e.duration) < 1000
  )
    refuse('duration', `the duration must be at least 1s, but is ${e.duration}`);
  if (e.executor !== 'constant-arrival-rate' && e.executor !== 'ramping-arrival-rate') return;
  if (e.timeUnit !== undefined && parseDuration(e.timeUnit) <= 0)
    refuse('timeUnit', 'the timeUnit must be more than 0');
  if (e.maxVUs !== undefined && e.maxVUs < e.preAllocatedVUs)
    refuse('maxVUs', `maxVUs can't be less than preAllocatedVUs (${e.maxVUs} < ${e.preAllocatedVUs})`);
}

/** What a check sees of a response; the subset both k6's Response and the embedded engine provide. */
export interface CheckResponse {
  status: number;
  /** The body as text (empty when there was none). */
  body: string;
  headers: Record<string, string>;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json(): unknown;
}

export type Check = (r: CheckResponse) => boolean;

/**
 * What a request builder may read: the iteration, the VU, the environment variables the scenario names,
 * and the values this environment's setup captured (with `runId`).
 */
export interface IterationContext {
  iteration: number;
  vu: number;
  env: Readonly<Record<string, string | undefined>>;
  /** `runId` and every value the setup captured in this environment: `vars.bookingId`. */
  vars: Readonly<Record<string, string>>;
}

const formBodySchema = z.strictObject({ form: z.record(z.string(), z.string().optional()) });

/** A form body (`form({ … })`): sent as application/x-www-form-urlencoded, an undefined field left out. */
export type FormBody = z.output<typeof formBodySchema>;

const fn = <T>(what: string) =>
  z.custom<T>((v) => typeof v === 'function', { error: `expected ${what} (a function)` });
/** A value, or a function of the iteration that gives it (k6 code computes them per iteration). */
const dynamic = <T extends z.ZodType>(schema: T) =>
  z.union([schema, fn<(ctx: IterationContext) => z.output<T>>('a function of the iteration')]);
const headers = z.record(z.string(), z.string());
const body = z.union([z.string(), formBodySchema, z.record(z.string(), z.unknown())]);

export const requestSpecSchema = z
  .strictObject({
    /** Share of the mix, relative to the other requests' weights. */
    weight: z.number().positive(),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']),
    /**
     * Path (with query) relative to the service's base URL. Text here, in headers and in the body may
     * hold placeholders: `{{bookingId}}` (captured by the setup), `{{runId}}`, `{{env.VAR}}` (a variable
     * in `env`).
     */
    path: dynamic(z.string()),
    /**
     * The endpoint name every metric is tagged with, such as `GET /api/equipment/:id`.
     * @default `${method} ${path}`, a placeholder written `{name}`: `GET /api/bookings/{bookingId}`
     */
    endpoint: z.string().min(1).optional(),
    headers: dynamic(headers).optional(),
    /** A string is sent as is; an object as JSON; see `form()` for urlencoded bodies. */
    body: dynamic(body).optional(),
    /** k6-style checks: name → predicate. */
    checks: z.record(z.string(), fn<Check>('a check: (response) => boolean')).optional(),
    tags: z.record(z.string(), z.string()).optional(),
    /** Statuses that count as success for http_req_failed. @default 200–399 (k6's expected_response) */
    expectedStatuses: z.array(z.number().int().min(100).max(599)).optional(),
  })
  .refine((r) => typeof r.path !== 'function' || r.endpoint !== undefined, {
    error: 'a computed path needs an endpoint name',
    path: ['endpoint'],
  });

/**
 * A request sent once per environment before the load (setup) or after it (teardown): the integration
 * step — request, expectations, captures — addressed to the scenario's service. Not timed and not
 * counted in the load's metrics.
 */
export const setupStepSchema = stepSchema.omit({ service: true, auth: true, parity: true });

export const performanceScenarioSchema = z.strictObject({
  /** k6 scenario name: letters, digits, `_` and `-`. */
  name: z.string().regex(/^[0-9a-zA-Z_-]+$/, 'expected letters, digits, "_" or "-" (a k6 scenario name)'),
  /** What the scenario loads, in a few words, for plans and reports. */
  description: z.string().optional(),
  /** The config's service id whose base URL (per environment) the paths are relative to. */
  service: z.string().min(1, 'expected the config service id the paths belong to'),
  /** k6 executor options, exactly as in k6's `options.scenarios.<name>`. */
  executor: executorSchema,
  requests: z.array(requestSpecSchema).min(1, 'expected at least one request'),
  /** k6 thresholds, such as `{ http_req_duration: ['p(95)<300'], http_req_failed: ['rate<0.01'] }`. */
  thresholds: z.record(z.string(), z.array(z.string())).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  /** Think time after each iteration of a VU executor (k6's `sleep()`), such as `100ms`. */
  sleep: duration.optional(),
  /**
   * Environment variables the requests read (secrets such as a client secret). Only these are handed
   * to the scenario; their values never reach a record.
   */
  env: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a variable name')).optional(),
  /**
   * Steps run once per environment before the warm-up and the blocks (k6's `setup()`): create or look up
   * the data the requests read, and `capture` its ids, which the requests use as `{{name}}` — each
   * environment its own. A setup that fails keeps the scenario off that environment, recorded as a
   * failed check with the reason.
   */
  setup: z.array(setupStepSchema).optional(),
  /** Steps run once per environment after the last block (k6's `teardown()`), also after a failure. */
  teardown: z.array(setupStepSchema).optional(),
});

export type Stage = z.output<typeof stageSchema>;
export type ExecutorConfig = z.output<typeof executorSchema>;
export type RequestSpec = z.output<typeof requestSpecSchema>;
export type SetupStep = z.output<typeof setupStepSchema>;
export type PerformanceScenario = z.output<typeof performanceScenarioSchema>;
export type ConstantArrivalRate = Extract<ExecutorConfig, { executor: 'constant-arrival-rate' }>;
export type RampingArrivalRate = Extract<ExecutorConfig, { executor: 'ramping-arrival-rate' }>;
export type ConstantVus = Extract<ExecutorConfig, { executor: 'constant-vus' }>;
export type RampingVus = Extract<ExecutorConfig, { executor: 'ramping-vus' }>;
