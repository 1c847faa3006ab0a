// The HTTP side shared by the monitoring adapters (Prometheus, Alertmanager, Grafana, Loki): one base URL,
// auth read from the environment variables the config names (bearer or basic; the values are registered
// with the redactor and never appear in a message), extra headers (a tenant's X-Scope-OrgID), a deadline,
// a body cap, and the TLS options of the project's other credentialed client (integration/http.ts:
// certificate verified unless `insecure`, extra CA, host pins; redirects only within the same origin).
// Each call comes back as a value: the answer as UTF-8 text, or a failure in words. Product clients read
// the answer with core/monitoring and never throw.

import type { ApiFailure, ApiOutcome, RawAnswer } from '../../core/monitoring/api-outcome.js';
import { decodeUtf8 } from '../../core/utf8.js';
import { Redactor } from '../auth/redact.js';
import type { PinMap } from './pinning.js';
import { sendApiRequest } from './request.js';

/** Credentials, by the names of the environment variables that hold them: a config never holds a secret. */
export type ApiAuth =
  | { type: 'bearer'; tokenEnv: string }
  | { type: 'basic'; passwordEnv: string; username?: string; usernameEnv?: string };

export interface ApiEndpoint {
  /** Base URL; a path prefix is kept (`https://ops.example.com/prometheus`). No credentials in it. */
  url: string;
  auth?: ApiAuth;
  /** Headers sent with every request, such as a tenant's `X-Scope-OrgID`; not for secrets (use `auth`). */
  headers?: Readonly<Record<string, string>>;
  /** Deadline of one request in ms. @default 10000 */
  timeoutMs?: number;
  /** Largest answer read; more is an `unreachable` failure of cause `too-large`. @default 16 MiB */
  maxBodyBytes?: number;
  pins?: PinMap;
  /** Extra CA certificates (PEM) to trust. */
  ca?: string | Buffer;
  /** Skip certificate verification (a test cluster's self-signed certificate). */
  insecure?: boolean;
}

export interface ApiContext {
  /** The process environment, or the values a caller provides (only the CLI reads `process.env`). */
  env: Readonly<Record<string, string | undefined>>;
  /** The run's redactor, so the secrets read here are masked in everything the run records. */
  redactor?: Redactor;
  signal?: AbortSignal;
}

export interface ApiCall {
  method: 'GET' | 'POST';
  /** Path under the base URL, starting with `/`. */
  path: string;
  /** Query parameters, or the form body of a POST with `form: true`; repeated names allowed. */
  params?: ReadonlyArray<readonly [string, string]>;
  form?: boolean;
  /** A JSON body for a POST. */
  json?: unknown;
  /** This call's deadline, when it must differ from the endpoint's (a query with its own timeout). */
  timeoutMs?: number;
}

/** What a product client makes of an answer. */
export type Interpreted<T> =
  | { ok: true; value: T; warnings?: string[]; infos?: string[] }
  | { ok: false; failure: ApiFailure };

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_BODY = 16 * 1024 * 1024;
const MAX_REDIRECTS = 3;

type Setup = { ok: true; base: URL; headers: Record<string, string> } | { ok: false; failure: ApiFailure };

export class ApiClient {
  /** Names the server in every message: `Prometheus at http://127.0.0.1:9090`. */
  readonly name: string;
  readonly #endpoint: ApiEndpoint;
  readonly #context: ApiContext;
  /** The caller's redactor, or one of the client's own: what a server echoes of a secret is masked either way. */
  readonly #redactor: Redactor;
  readonly #setup: Setup;

  constructor(product: string, endpoint: ApiEndpoint, context: ApiContext) {
    this.#endpoint = endpoint;
    this.#context = context;
    this.#redactor = context.redactor ?? new Redactor();
    let base: URL | undefined;
    try {
      base = new URL(endpoint.url);
    } catch {
      base = undefined;
    }
    this.name = base ? `${product} at ${base.origin}${base.pathname.replace(/\/+$/, '')}` : product;
    this.#setup = base
      ? this.#prepare(base)
      : fail(`${product}: ${JSON.stringify(endpoint.url)} is not a URL`);
  }

  #prepare(base: URL): Setup {
    if (base.protocol !== 'http:' && base.protocol !== 'https:')
      return fail(`${this.name}: only http and https URLs are supported`);
    if (base.username || base.password)
      return fail(
        `${this.name}: the URL holds credentials; name the environment variables that hold them in the auth setting instead`,
      );
    const headers: Record<string, string> = {
      'user-agent': 'cutover-monitoring',
      accept: 'application/json, text/plain;q=0.9, */*;q=0.5',
    };
    for (const [name, value] of Object.entries(this.#endpoint.headers ?? {}))
      headers[name.toLowerCase()] = value;
    const auth = this.#endpoint.auth;
    if (auth?.type === 'bearer') {
      const token = this.#secret(auth.tokenEnv, 'bearer token');
      if (!token.ok) return token;
      headers.authorization = `Bearer ${token.value}`;
    } else if (auth?.type === 'basic') {
      const user = auth.usernameEnv ? this.#secret(auth.usernameEnv, 'user name', false) : undefined;
      if (user && !user.ok) return user;
      const password = this.#secret(auth.passwordEnv, 'password');
      if (!password.ok) return password;
      const basic = Buffer.from(`${user?.value ?? auth.username ?? ''}:${password.value}`).toString('base64');
      this.#redactor.add(basic);
      headers.authorization = `Basic ${basic}`;
    }
    return { ok: true, base, headers };
  }

  #secret(
    variable: string,
    what: string,
    isSecret = true,
  ): { ok: true; value: string } | { ok: false; failure: ApiFailure } {
    const value = this.#context.env[variable];
    if (value === undefined || value === '')
      return fail(`${this.name}: environment variable ${variable} (the ${what}) is not set`);
    if (isSecret) this.#redactor.add(value);
    return { ok: true, value };
  }

  /** Sends a call and reads its answer with `interpret`; every failure, thrown or not, is a value. */
  async request<T>(call: ApiCall, interpret: (answer: RawAnswer) => Interpreted<T>): Promise<ApiOutcome<T>> {
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
    try {
      const raw = await this.#send(call);
      const read = raw.ok ? interpret(raw.answer) : raw;
      if (!read.ok) return { ok: false, failure: this.#redact(read.failure), elapsedMs: elapsed() };
      return {
        ok: true,
        value: read.value,
        warnings: (read.warnings ?? []).map((w) => this.#text(w)),
        infos: (read.infos ?? []).map((w) => this.#text(w)),
        elapsedMs: elapsed(),
      };
    } catch (error) {
      // A bug in reading an answer must still come back as a failure, not as an exception or a pass.
      const message = `${this.name}: ${error instanceof Error ? error.message : String(error)}`;
      return {
        ok: false,
        failure: this.#redact({ kind: 'malformed', status: 0, message }),
        elapsedMs: elapsed(),
      };
    }
  }

  async #send(call: ApiCall): Promise<{ ok: true; answer: RawAnswer } | { ok: false; failure: ApiFailure }> {
    const setup = this.#setup;
    if (!setup.ok) return setup;
    const url = new URL(setup.base.href);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${call.path}`;
    const params = new URLSearchParams((call.params ?? []).map(([k, v]): [string, string] => [k, v]));
    const headers = { ...setup.headers };
    let body: string | undefined;
    if (call.json !== undefined) {
      body = JSON.stringify(call.json);
      headers['content-type'] = 'application/json';
    } else if (call.form) {
      body = params.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    if (!call.form && [...params].length > 0) url.search = params.toString();
    const maxBodyBytes = this.#endpoint.maxBodyBytes ?? DEFAULT_MAX_BODY;
    const result = await sendApiRequest(
      { method: call.method, url: url.href, headers, ...(body !== undefined ? { body } : {}) },
      {
        timeoutMs: call.timeoutMs ?? this.#endpoint.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        maxBodyBytes,
        maxRedirects: MAX_REDIRECTS,
        pins: this.#endpoint.pins ?? {},
        ...(this.#endpoint.ca ? { ca: this.#endpoint.ca } : {}),
        insecure: this.#endpoint.insecure === true,
        allowedOrigins: new Set([setup.base.origin]),
        ...(this.#context.signal ? { signal: this.#context.signal } : {}),
      },
    );
    if (!result.ok)
      return {
        ok: false,
        failure: {
          kind: 'unreachable',
          cause: result.error.kind,
          message: `${this.name}: ${result.error.message}`,
        },
      };
    const status = result.status;
    const text = decodeUtf8(result.body);
    if (!text.ok)
      return {
        ok: false,
        failure: {
          kind: 'malformed',
          status,
          message: `${this.name} answered ${status} with a body that is not UTF-8 (from byte ${text.invalidAt})`,
        },
      };
    const type = result.headers['content-type'];
    return {
      ok: true,
      answer: {
        status,
        mediaType: type ? type.split(';')[0]!.trim().toLowerCase() : undefined,
        text: text.text,
      },
    };
  }

  #text(text: string): string {
    return this.#redactor.text(text);
  }

  #redact(failure: ApiFailure): ApiFailure {
    const out = { ...failure, message: this.#text(failure.message) };
    if ('detail' in out) out.detail = this.#text(out.detail);
    return out;
  }
}

function fail(message: string): { ok: false; failure: ApiFailure } {
  return { ok: false, failure: { kind: 'setup', message } };
}
