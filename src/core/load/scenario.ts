// A performance scenario in k6's vocabulary: one executor, a weighted mix of requests with checks and
// tags, and thresholds in k6's syntax. The same file runs in the embedded engine and, bundled by
// `cutover k6 build`, in k6 — so it imports nothing that needs Node (only the import-free profile math
// and the placeholder syntax the integration steps use).

import type { Step } from '../../suites/integration/define.js';
import { render, templatePath } from '../steps/template.js';
import type { ExecutorConfig } from './profile.js';

export type { ExecutorConfig, Stage } from './profile.js';

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

type Dynamic<T> = T | ((ctx: IterationContext) => T);

export interface RequestSpec {
  /** Share of the mix, relative to the other requests' weights. */
  weight: number;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  /**
   * Path (with query) relative to the service's base URL. Text here, in headers and in the body may hold
   * placeholders: `{{bookingId}}` (captured by the setup), `{{runId}}`, `{{env.VAR}}` (a variable in `env`).
   */
  path: Dynamic<string>;
  /**
   * The endpoint name every metric is tagged with, such as `GET /api/equipment/:id`.
   * @default `${method} ${path}`, a placeholder written `{name}`: `GET /api/bookings/{bookingId}`
   */
  endpoint?: string;
  headers?: Dynamic<Record<string, string>>;
  /** A string is sent as is; an object as JSON; see `form()` for urlencoded bodies. */
  body?: Dynamic<string | Record<string, unknown> | FormBody>;
  /** k6-style checks: name → predicate. */
  checks?: Record<string, Check>;
  tags?: Record<string, string>;
  /** Statuses that count as success for http_req_failed. @default 200–399 (k6's expected_response) */
  expectedStatuses?: number[];
}

export interface FormBody {
  form: Record<string, string | undefined>;
}

/** An application/x-www-form-urlencoded body (OAuth token requests). */
export function form(fields: Record<string, string | undefined>): FormBody {
  return { form: fields };
}

/**
 * A request sent once per environment before the load (setup) or after it (teardown): the integration
 * suite's step — request, expectations, captures — addressed to the scenario's service. Not timed and not
 * counted in the load's metrics.
 */
export type SetupStep = Omit<Step, 'service' | 'auth' | 'parity'>;

export interface PerformanceScenario {
  /** k6 scenario name: letters, digits, `_` and `-`. */
  name: string;
  description: string;
  /** The config's service id whose base URL (per environment) the paths are relative to. */
  service: string;
  /** k6 executor options, exactly as in k6's `options.scenarios.<name>`. */
  executor: ExecutorConfig;
  requests: RequestSpec[];
  /** k6 thresholds, such as `{ http_req_duration: ['p(95)<300'], http_req_failed: ['rate<0.01'] }`. */
  thresholds?: Record<string, string[]>;
  tags?: Record<string, string>;
  /** Think time after each iteration of a VU executor (k6's `sleep()`), such as `100ms`. */
  sleep?: string;
  /**
   * Environment variables the requests read (secrets such as a client secret). Only these are handed
   * to the scenario; their values never reach a record.
   */
  env?: string[];
  /**
   * Steps run once per environment before the warm-up and the blocks (k6's `setup()`): create or look up
   * the data the requests read, and `capture` its ids, which the requests use as `{{name}}` — each
   * environment its own. A setup that fails keeps the scenario off that environment, recorded as a
   * failed check with the reason.
   */
  setup?: SetupStep[];
  /** Steps run once per environment after the last block (k6's `teardown()`), also after a failure. */
  teardown?: SetupStep[];
}

/**
 * Declares a performance (load) scenario; `import { definePerformanceScenario } from 'cutover'`.
 * The scenario is returned as is: Cutover checks it when it loads the file, naming every problem.
 */
export function definePerformanceScenario(s: PerformanceScenario): PerformanceScenario {
  return s;
}

/**
 * The name performance scenario files were written with before `definePerformanceScenario`, kept so
 * those files load unchanged. The package entry does not export it under this name: there
 * `defineScenario` declares an integration scenario.
 */
export const defineScenario = definePerformanceScenario;

export function endpointOf(r: RequestSpec): string {
  if (r.endpoint) return r.endpoint;
  if (typeof r.path === 'function') throw new Error('a request with a computed path needs an endpoint name');
  return `${r.method} ${templatePath(r.path.split('?')[0]!)}`;
}

export function isExpected(r: RequestSpec, status: number): boolean {
  return r.expectedStatuses ? r.expectedStatuses.includes(status) : status >= 200 && status < 400;
}

export function resolve<T>(v: Dynamic<T> | undefined, ctx: IterationContext): T | undefined {
  return typeof v === 'function' ? (v as (c: IterationContext) => T)(ctx) : v;
}

/** One iteration's request: its path, headers and body with the placeholders filled in. */
export interface BuiltRequest {
  path: string;
  headers: Record<string, string>;
  body?: { text: string; contentType?: string };
}

/**
 * The request of one iteration, as both engines send it: computed parts resolved, then every
 * placeholder filled from the setup's values and the named environment variables. Throws when a
 * placeholder has no value (the load-time check makes that rare: only a computed value can bring one).
 */
export function buildRequest(r: RequestSpec, ctx: IterationContext): BuiltRequest {
  const filled = render(
    { path: resolve(r.path, ctx), headers: resolve(r.headers, ctx), body: resolve(r.body, ctx) },
    { vars: ctx.vars, env: ctx.env },
  );
  if (filled.missing.length > 0) {
    throw new Error(`no value for ${filled.missing.map((m) => `{{${m}}}`).join(', ')}`);
  }
  const { path, headers, body } = filled.value;
  const encoded = encodeBody(body);
  return {
    path: String(path),
    headers: { ...(encoded?.contentType ? { 'content-type': encoded.contentType } : {}), ...headers },
    ...(encoded ? { body: encoded } : {}),
  };
}

/** The request body as bytes-ready text and its content type. */
export function encodeBody(
  body: string | Record<string, unknown> | FormBody | undefined,
): { text: string; contentType?: string } | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string') return { text: body };
  if ('form' in body && typeof body.form === 'object' && body.form !== null) {
    const pairs = Object.entries(body.form as Record<string, string | undefined>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v as string)}`);
    return { text: pairs.join('&'), contentType: 'application/x-www-form-urlencoded' };
  }
  return { text: JSON.stringify(body), contentType: 'application/json' };
}

/** Thrown when a request would leave the environment's configured origin. */
export class HostRefusedError extends Error {
  override readonly name = 'HostRefusedError';
}

const ORIGIN = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)(.*)$/i;

/**
 * The full URL of a request path, refusing any origin other than the configured one. String-based on
 * purpose: k6's runtime has no URL class, and both engines must refuse exactly the same requests.
 */
export function requestUrl(baseUrl: string, path: string): string {
  const base = ORIGIN.exec(baseUrl);
  if (!base) throw new Error(`base URL ${baseUrl} is not absolute`);
  const abs = ORIGIN.exec(path);
  if (abs) {
    if (normalOrigin(abs[1]!) !== normalOrigin(base[1]!)) {
      throw new HostRefusedError(
        `refusing to send load to ${abs[1]}: the config names ${base[1]} for this service, and load goes only to hosts the config names`,
      );
    }
    return `${base[1]}${abs[2] || '/'}`;
  }
  const prefix = (base[2] ?? '').split(/[?#]/)[0]!.replace(/\/$/, '');
  return `${base[1]}${prefix}${path.startsWith('/') ? path : `/${path}`}`;
}

/** scheme://host[:port] in lower case, without the scheme's default port. */
function normalOrigin(origin: string): string {
  const i = origin.indexOf('://');
  const scheme = origin.slice(0, i).toLowerCase();
  let host = origin.slice(i + 3).toLowerCase();
  if ((scheme === 'http' && host.endsWith(':80')) || (scheme === 'https' && host.endsWith(':443'))) {
    host = host.replace(/:\d+$/, '');
  }
  return `${scheme}://${host}`;
}

/**
 * Smooth weighted round-robin (nginx's): over any window of sum(weights) picks, each request gets
 * exactly its share, so baseline and target see the same mix without a random generator.
 */
export function weightedPicker(weights: readonly number[]): () => number {
  const current = weights.map(() => 0);
  const total = weights.reduce((a, b) => a + b, 0);
  return () => {
    let best = 0;
    for (let i = 0; i < weights.length; i++) {
      current[i]! += weights[i]!;
      if (current[i]! > current[best]!) best = i;
    }
    current[best]! -= total;
    return best;
  };
}
