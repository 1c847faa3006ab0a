// One environment's pass through one scenario: setup, steps, teardown, each request sent with its
// placeholders filled from this environment's own captured values, its expectations checked, and the
// response kept for the parity comparison. Nothing here throws for a bad answer: every failure is kept
// as a reason. Teardown always runs, so data the scenario created is cleaned up after a failure too.
import type { ScenarioSpec, Step } from '../../../suites/integration/dsl.js';
import { readPath } from '../../core/parity/path.js';
import type { TokenBroker } from '../auth/oidc.js';
import type { Redactor } from '../auth/redact.js';
import type { FramingFault } from '../http/framing.js';
import { bodyText, declaresUtf8, notUtf8Reason } from '../http/text.js';
import { type ApiRequestOptions, type ApiResult, sendApiRequest } from './http.js';
import { endpointName, render } from './template.js';

export type Phase = 'setup' | 'steps' | 'teardown';

export interface StepRun {
  step: Step;
  phase: Phase;
  service: string;
  endpoint: string;
  /** Why the step was not sent (a service not deployed here, a value never captured, setup failed). */
  skipped?: string;
  /** Not sent because the operator's setup lacks something (a secret's variable, an auth profile). */
  unconfigured?: boolean;
  /** Why no usable response came back (network, TLS, redirect loop, too large, malformed JSON, auth). */
  failure?: string;
  response?: {
    status: number;
    headers: Record<string, string>;
    body: unknown;
    elapsedMs: number;
    /** When the answer was read, epoch ms: parity tells the servers' clock readings by it. */
    receivedAt: number;
    /**
     * The body's bytes when they are not UTF-8 (`body` then holds them decoded with U+FFFD, for the
     * expectations that read text): parity compares these, byte for byte.
     */
    bytes?: Buffer;
    /** Where the body stops being UTF-8, in words, for the check's reason. */
    notUtf8?: string;
    /** The server broke the message framing; the answer was kept and the connection closed. */
    framing?: FramingFault;
  };
  /** Expectations the response did not meet. */
  problems: string[];
  /** Values this step captured, by variable name. */
  captured: Record<string, string>;
}

export interface PassResult {
  environment: string;
  runs: StepRun[];
  vars: Record<string, string>;
}

export interface PassContext {
  environment: string;
  /** Base URL of each service in this environment. */
  services: Readonly<Record<string, string>>;
  runId: string;
  env: Readonly<Record<string, string | undefined>>;
  redactor: Redactor;
  tokens: TokenBroker;
  http: Omit<ApiRequestOptions, 'timeoutMs'>;
  timeoutMs: number;
  retries: number;
  sleep: (ms: number) => Promise<void>;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRY_STATUS = new Set([502, 503, 504]);

interface ParsedBody {
  body: unknown;
  json: boolean;
  /** A problem of the body itself, which fails the step (malformed JSON, a broken UTF-8 declaration). */
  error?: string;
  /** Set when the body is not UTF-8: its bytes, and where and how it stops decoding. */
  undecodable?: { bytes: Buffer; reason: string };
}

function parseBody(raw: Buffer, headers: Record<string, string>): ParsedBody {
  const contentType = headers['content-type'];
  const says = (contentType ?? '').toLowerCase().includes('json');
  const read = bodyText(raw);
  if (!read.ok) {
    // Not text: decoding with U+FFFD would make different bytes compare equal. Parity compares the
    // bytes; a body whose type declares UTF-8 (a JSON type, charset=utf-8) breaks its own declaration.
    const reason = notUtf8Reason('the body', raw, read.invalidAt, contentType);
    const broken = declaresUtf8(contentType) ? (says ? `malformed JSON body: ${reason}` : reason) : undefined;
    return {
      body: read.lossy,
      json: false,
      ...(broken ? { error: broken } : {}),
      undecodable: { bytes: raw, reason },
    };
  }
  const text = read.text;
  if (text.trim() === '') return { body: undefined, json: false };
  try {
    return { body: JSON.parse(text), json: true };
  } catch (error) {
    if (says) return { body: text, json: false, error: `malformed JSON body (${(error as Error).message})` };
    return { body: text, json: false };
  }
}

async function send(
  step: Step,
  request: Parameters<typeof sendApiRequest>[0],
  ctx: PassContext,
): Promise<ApiResult> {
  const timeoutMs = step.request.timeoutMs ?? ctx.timeoutMs;
  // Only requests that may safely be repeated are retried: a POST is never sent twice.
  const retries = IDEMPOTENT.has(step.request.method) ? (step.request.retries ?? ctx.retries) : 0;
  let result = await sendApiRequest(request, { ...ctx.http, timeoutMs });
  for (let attempt = 1; attempt <= retries; attempt++) {
    const retryable = !result.ok
      ? ['refused', 'reset', 'timeout'].includes(result.error.kind)
      : RETRY_STATUS.has(result.status);
    if (!retryable || ctx.http.signal?.aborted) break;
    await ctx.sleep(Math.min(2000, 100 * 2 ** (attempt - 1)));
    result = await sendApiRequest(request, { ...ctx.http, timeoutMs });
  }
  return result;
}

function checkExpectations(step: Step, res: NonNullable<StepRun['response']>, isJson: boolean): string[] {
  const problems: string[] = [];
  const e = step.expect ?? {};
  const statuses = e.status === undefined ? undefined : Array.isArray(e.status) ? e.status : [e.status];
  if (statuses ? !statuses.includes(res.status) : res.status < 200 || res.status > 299) {
    problems.push(`expected status ${statuses ? statuses.join(' or ') : '2xx'}, got ${res.status}`);
  }
  const kind = e.body ?? 'json';
  const emptyOk = res.status === 204 || step.request.method === 'HEAD';
  if (kind === 'json' && !isJson && !(emptyOk && res.body === undefined)) {
    problems.push(
      `expected a JSON body, got ${res.body === undefined ? 'an empty body' : `${res.headers['content-type'] ?? 'no content-type'}`}`,
    );
  }
  if (kind === 'empty' && res.body !== undefined) problems.push('expected an empty body');
  if (e.schema && isJson) {
    const parsed = e.schema.safeParse(res.body);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`);
      problems.push(
        `body does not match the schema: ${issues.join('; ')}${parsed.error.issues.length > 5 ? ' …' : ''}`,
      );
    }
  }
  for (const [name, want] of Object.entries(e.headers ?? {})) {
    const got = ownHeader(res.headers, name);
    if (got === undefined) problems.push(`header ${name} missing`);
    else if (typeof want === 'string' ? got !== want : !want.test(got))
      problems.push(`header ${name} is "${got}", expected ${String(want)}`);
  }
  if (e.maxDurationMs !== undefined && res.elapsedMs > e.maxDurationMs) {
    problems.push(`took ${Math.round(res.elapsedMs)} ms, more than ${e.maxDurationMs} ms`);
  }
  return problems;
}

async function runStep(
  scenario: ScenarioSpec,
  step: Step,
  phase: Phase,
  vars: Record<string, string>,
  ctx: PassContext,
  blocked?: string,
  capturedBy: ReadonlyMap<string, string> = new Map(),
): Promise<StepRun> {
  const service = step.service ?? scenario.service;
  const run: StepRun = {
    step,
    phase,
    service,
    endpoint: endpointName(step.request.method, step.request.path),
    problems: [],
    captured: {},
  };
  if (blocked) return { ...run, skipped: blocked };
  const base = ctx.services[service];
  if (base === undefined) return { ...run, skipped: `${service} has no URL in ${ctx.environment}` };

  const scope = { vars, env: ctx.env, redactor: ctx.redactor };
  const rendered = render(
    {
      path: step.request.path,
      query: step.request.query ?? {},
      headers: step.request.headers ?? {},
      json: step.request.json,
      form: step.request.form,
    },
    scope,
  );
  if (rendered.missing.length > 0) {
    // Each value is named with where it should have come from, so the reason leads to the cause: the
    // earlier step whose answer lacked it (its own check says what the answer held), or the shell.
    const what = rendered.missing.map((m) =>
      m.startsWith('env.')
        ? `environment variable ${m.slice(4)}, which is not set`
        : capturedBy.has(m)
          ? `{{${m}}}, which step "${capturedBy.get(m)}" did not capture`
          : `{{${m}}}, which no earlier step captured`,
    );
    const onlyEnv = rendered.missing.every((m) => m.startsWith('env.'));
    return {
      ...run,
      skipped: `needs ${what.join('; and ')}`,
      ...(onlyEnv ? { unconfigured: true } : {}),
    };
  }
  const r = rendered.value;
  const url = new URL(base.replace(/\/$/, '') + r.path);
  for (const [k, v] of Object.entries(r.query)) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = Object.fromEntries(
    Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
  for (const name of ['authorization', 'cookie', 'x-api-key'])
    if (headers[name]) ctx.redactor.add(headers[name].replace(/^(Bearer|Basic)\s+/i, ''));
  let body: string | undefined;
  if (r.json !== undefined) {
    body = JSON.stringify(r.json);
    headers['content-type'] ??= 'application/json';
  } else if (r.form !== undefined) {
    body = new URLSearchParams(r.form as Record<string, string>).toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  }
  const profile = step.auth === false ? undefined : (step.auth ?? scenario.auth);
  if (profile !== undefined) {
    const token = await ctx.tokens.bearer(profile, ctx.environment);
    // A secret missing from the operator's environment means the step could not be tried: not a failure of the system.
    if (!token.ok) {
      return token.setup
        ? { ...run, skipped: token.reason, unconfigured: true }
        : { ...run, failure: token.reason };
    }
    headers.authorization = `Bearer ${token.token}`;
  }
  const result = await send(
    step,
    { method: step.request.method, url: url.href, headers, ...(body !== undefined ? { body } : {}) },
    ctx,
  );
  if (!result.ok) {
    return { ...run, failure: ctx.redactor.text(`${result.error.kind}: ${result.error.message}`) };
  }
  const parsed = parseBody(result.body, result.headers);
  const response: NonNullable<StepRun['response']> = {
    status: result.status,
    headers: result.headers,
    body: parsed.body,
    elapsedMs: result.elapsedMs,
    receivedAt: Date.now(),
    ...(parsed.undecodable
      ? { bytes: parsed.undecodable.bytes, notUtf8: ctx.redactor.text(parsed.undecodable.reason) }
      : {}),
    ...(result.framing ? { framing: result.framing } : {}),
  };
  const problems = parsed.error ? [parsed.error] : checkExpectations(step, response, parsed.json);
  const captured: Record<string, string> = {};
  for (const [name, from] of Object.entries(step.capture ?? {})) {
    const value = from.startsWith('header:')
      ? ownHeader(result.headers, from.slice(7))
      : readPath(parsed.body, from);
    if (value === undefined || value === null || typeof value === 'object') {
      problems.push(`capture ${name}: no value at ${from}`);
    } else {
      captured[name] = String(value);
    }
  }
  return { ...run, response, problems: problems.map((p) => ctx.redactor.text(p)), captured };
}

/** A scenario's steps in the order a pass runs them: setup, the flow's own steps, teardown. */
export function phasesOf(scenario: ScenarioSpec): Array<[Phase, readonly Step[]]> {
  return [
    ['setup', scenario.setup ?? []],
    ['steps', scenario.steps],
    ['teardown', scenario.teardown ?? []],
  ];
}

const failed = (r: StepRun) => r.failure !== undefined || r.problems.length > 0;

export async function runPass(scenario: ScenarioSpec, ctx: PassContext): Promise<PassResult> {
  const vars: Record<string, string> = { runId: ctx.runId };
  const runs: StepRun[] = [];
  /** Which step captures each value, for the reason of a step left without it. */
  const capturedBy = new Map<string, string>();
  let setupFailed: string | undefined;
  for (const [phase, steps] of phasesOf(scenario)) {
    for (const step of steps) {
      const interrupted = ctx.http.signal?.aborted === true;
      // After Ctrl-C only the cleanup still runs, briefly and no longer tied to the interrupted signal:
      // data the scenario created must not be left behind because someone stopped the run.
      const stepCtx = interrupted ? cleanupContext(ctx) : ctx;
      const blocked =
        interrupted && phase !== 'teardown'
          ? 'the run was interrupted'
          : phase === 'steps' && setupFailed
            ? `setup step "${setupFailed}" failed`
            : undefined;
      const run = await runStep(scenario, step, phase, vars, stepCtx, blocked, capturedBy);
      Object.assign(vars, run.captured);
      for (const name of Object.keys(step.capture ?? {})) capturedBy.set(name, step.name);
      if (phase === 'setup' && (failed(run) || run.skipped) && !setupFailed) setupFailed = step.name;
      runs.push(run);
    }
  }
  return { environment: ctx.environment, runs, vars };
}

/** Teardown after an interrupt: no abort signal, no retries, a short deadline. */
const CLEANUP_TIMEOUT_MS = 3000;
function cleanupContext(ctx: PassContext): PassContext {
  const { signal: _interrupted, ...http } = ctx.http;
  return { ...ctx, http, retries: 0, timeoutMs: Math.min(ctx.timeoutMs, CLEANUP_TIMEOUT_MS) };
}

/** A response header by name; only the headers' own keys, so `constructor` or `__proto__` find nothing. */
function ownHeader<T>(headers: Readonly<Record<string, T>>, name: string): T | undefined {
  const key = name.toLowerCase();
  return Object.hasOwn(headers, key) ? headers[key] : undefined;
}
