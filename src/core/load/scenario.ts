// How a performance scenario's requests are built and sent, the same in both engines: this file runs in
// the embedded engine and, bundled by `cutover k6 build`, in k6 — so it imports nothing that needs Node
// (only the placeholder syntax the integration steps use) and takes the scenario's types from schema.ts
// as types only, keeping zod out of the scripts.
import { render, templatePath } from '../steps/template.js';
import type { FormBody, IterationContext, RequestSpec } from './schema.js';

export type {
  Check,
  CheckResponse,
  ExecutorConfig,
  FormBody,
  IterationContext,
  PerformanceScenario,
  RequestSpec,
  SetupStep,
  Stage,
} from './schema.js';

type Dynamic<T> = T | ((ctx: IterationContext) => T);

/** An application/x-www-form-urlencoded body (OAuth token requests). */
export function form(fields: Record<string, string | undefined>): FormBody {
  return { form: fields };
}

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
