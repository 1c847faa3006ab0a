// One environment's pass through one scenario: setup, steps, teardown, each request sent with its
// placeholders filled from this environment's own captured values, its expectations checked, and the
// response kept for the parity comparison. Nothing here throws for a bad answer: every failure is kept
// as a reason. Teardown always runs, so data the scenario created is cleaned up after a failure too.

import { captureValues, checkExpectations, parseBody } from '../../core/steps/outcome.js';
import { endpointName, render } from '../../core/steps/template.js';
import type { TokenBroker } from '../../runners/auth/oidc.js';
import type { Redactor } from '../../runners/auth/redact.js';
import type { FramingFault } from '../../runners/http/framing.js';
import { type ApiRequestOptions, type ApiResult, sendApiRequest } from '../../runners/http/request.js';
import { bodyText, declaresUtf8, notUtf8Reason } from '../../runners/http/text.js';
import type { ScenarioSpec, Step } from './define.js';

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
  tokens: Pick<TokenBroker, 'bearer'>;
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

/**
 * The answer's bytes read as text, then as step-outcome.ts reads text (JSON or not). Bytes that are not
 * UTF-8 are never decoded with U+FFFD, which would make different bytes compare equal: parity compares
 * the bytes, and a body whose type declares UTF-8 (a JSON type, charset=utf-8) breaks its declaration.
 */
function readBody(raw: Buffer, headers: Record<string, string>): ParsedBody {
  const contentType = headers['content-type'];
  const says = (contentType ?? '').toLowerCase().includes('json');
  const read = bodyText(raw);
  if (!read.ok) {
    const reason = notUtf8Reason('the body', raw, read.invalidAt, contentType);
    const broken = declaresUtf8(contentType) ? (says ? `malformed JSON body: ${reason}` : reason) : undefined;
    return {
      body: read.lossy,
      json: false,
      ...(broken ? { error: broken } : {}),
      undecodable: { bytes: raw, reason },
    };
  }
  return parseBody(read.text, headers);
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

export async function runStep(
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
  const parsed = readBody(result.body, result.headers);
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
  const capture = captureValues(step, response);
  problems.push(...capture.problems);
  const captured = capture.captured;
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
export function cleanupContext(ctx: PassContext): PassContext {
  const { signal: _interrupted, ...http } = ctx.http;
  return { ...ctx, http, retries: 0, timeoutMs: Math.min(ctx.timeoutMs, CLEANUP_TIMEOUT_MS) };
}
