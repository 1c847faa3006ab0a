// What a call to a monitoring API (Prometheus, Alertmanager, Grafana, Loki) comes back as: a value, or a
// failure of a named kind with the server's own words. A failure is never a pass and never "no data":
// Prometheus answering 503 before it has loaded its TSDB, a query it refuses (400 bad_data), one it
// cannot evaluate (422 execution), one that ran out of time (503 timeout), a proxy's 401, a body that
// is not the API's JSON, a server that cannot be reached — each stays distinguishable, so a check can
// say INCONCLUSIVE with the reason instead of reading an error as an empty result. Pure.
import type { z } from 'zod';

export type ApiFailure =
  /** Cutover's own setup: an environment variable the config names is not set, a URL with credentials. */
  | { kind: 'setup'; message: string }
  /** No HTTP answer: refused, DNS, reset, TLS, our own deadline (`cause: 'timeout'`), a body over the cap. */
  | { kind: 'unreachable'; cause: string; message: string }
  /** The server is up but not ready to answer (Prometheus' and Loki's plain-text 503 while starting). */
  | { kind: 'not-ready'; status: number; message: string; detail: string }
  /** The API's own error, in its own format: Prometheus' errorType (bad_data, execution, timeout, …). */
  | { kind: 'api-error'; status: number; errorType?: string; message: string; detail: string }
  /** A status the API does not explain in its format (a proxy's 401 or 502, a 404 for a wrong base path). */
  | { kind: 'http-status'; status: number; message: string; detail: string }
  /** An answer that is not the API's shape: not JSON, not UTF-8, or a field of the wrong type. */
  | { kind: 'malformed'; status: number; message: string };

export type ApiFailureKind = ApiFailure['kind'];

export type ApiOutcome<T> =
  | {
      ok: true;
      value: T;
      /** Prometheus' `warnings` (partial data, and PromQL annotations from 2.48): carried, not failures. */
      warnings: string[];
      /** Prometheus 2.54+ `infos` (informational annotations): carried, not failures. */
      infos: string[];
      elapsedMs: number;
    }
  | { ok: false; failure: ApiFailure; elapsedMs: number };

/** An HTTP answer as the adapters hand it over: status, media type (no parameters) and the body as text. */
export interface RawAnswer {
  status: number;
  mediaType: string | undefined;
  text: string;
}

const DETAIL_CHARS = 2000;

/** The server's words, whitespace-collapsed and clipped, for a message. */
export function excerpt(text: string, max = DETAIL_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export const isSuccess = (status: number) => status >= 200 && status < 300;

/** The body as JSON, or undefined when it is not JSON at all. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** A status without the API's error format: a 503 with a plain-text body is "not ready", others are statuses. */
export function statusFailure(what: string, answer: RawAnswer): ApiFailure {
  const detail = excerpt(answer.text);
  const said = detail ? `: ${detail}` : '';
  if (answer.status === 503)
    return {
      kind: 'not-ready',
      status: 503,
      detail,
      message: `${what} is not ready (503${said})`,
    };
  return {
    kind: 'http-status',
    status: answer.status,
    detail,
    message: `${what} answered ${answer.status}${said}`,
  };
}

export function malformed(what: string, status: number, why: string): ApiFailure {
  return { kind: 'malformed', status, message: `${what} answered ${status} with ${why}` };
}

/**
 * Reads `value` with a zod schema; a mismatch is a `malformed` failure naming the first wrong fields
 * (`data.activeTargets.0.health: Invalid option …`), never a partial value.
 */
export function readShape<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  status: number,
  prefix = '',
): { ok: true; value: z.output<S> } | { ok: false; failure: ApiFailure } {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(body)'}: ${i.message}`);
  return {
    ok: false,
    failure: malformed(what, status, `a body that is not the API's shape (${issues.join('; ')})`),
  };
}

/** Whether the failure is a timeout, ours (no answer in time) or the server's (Prometheus errorType timeout). */
export function isTimeout(failure: ApiFailure): boolean {
  return (
    (failure.kind === 'unreachable' && failure.cause === 'timeout') ||
    (failure.kind === 'api-error' && failure.errorType === 'timeout')
  );
}
