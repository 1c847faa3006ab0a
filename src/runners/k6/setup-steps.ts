// A scenario's setup and teardown steps inside its k6 script, for a script run by hand (`k6 run -e
// CUTOVER_BASE_URL=…`): the same steps Cutover sends itself, judged by the same expectations and
// captures (step-outcome.ts), with the same placeholders (template.ts). When Cutover runs the script it
// has already run the setup once for the environment and hands its values in CUTOVER_SETUP_DATA, so
// these are not sent again by every block and every k6-operator runner. Bundled into k6: no Node here.
import http, { type K6Response } from 'k6/http';
import { requestUrl, type SetupStep } from '../../core/load/scenario.js';
import { captureValues, checkExpectations, parseBody } from '../../core/steps/outcome.js';
import { endpointName, render } from '../../core/steps/template.js';

/** k6 names response headers in canonical case (`Content-Type`); expectations read them in lower case. */
function lowerCaseHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = v;
  return out;
}

/** `a=1&b=x%20y`: k6's runtime has no URLSearchParams. */
function queryString(query: Readonly<Record<string, string | number | boolean>>): string {
  return Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

/** Sends one step and says what went wrong with it (empty when nothing did); captures go into `vars`. */
function sendStep(
  step: SetupStep,
  baseUrl: string,
  vars: Record<string, string>,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const { method, path, query, headers, json, form, timeoutMs } = step.request;
  const filled = render({ path, query: query ?? {}, headers: headers ?? {}, json, form }, { vars, env });
  if (filled.missing.length > 0) {
    return [`not sent: needs ${filled.missing.map((m) => `{{${m}}}`).join(', ')}, which has no value`];
  }
  const r = filled.value;
  const search = queryString(r.query);
  const url = requestUrl(baseUrl, r.path) + (search ? `${r.path.includes('?') ? '&' : '?'}${search}` : '');
  const sent: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) sent[k.toLowerCase()] = String(v);
  let body: string | null = null;
  if (r.json !== undefined) {
    body = JSON.stringify(r.json);
    sent['content-type'] ??= 'application/json';
  } else if (r.form !== undefined) {
    body = queryString(r.form);
    sent['content-type'] ??= 'application/x-www-form-urlencoded';
  }
  const timeout = timeoutMs ? `${timeoutMs}ms` : env.CUTOVER_TIMEOUT;
  const endpoint = endpointName(method, path);
  const res: K6Response = http.request(method, url, body, {
    headers: sent,
    tags: { endpoint, name: endpoint },
    ...(timeout ? { timeout } : {}),
  });
  if (!res.status) return [`no answer: ${res.error ?? 'the request failed'}`];
  const answerHeaders = lowerCaseHeaders(res.headers);
  const parsed = parseBody(typeof res.body === 'string' ? res.body : '', answerHeaders);
  const answer = {
    status: res.status,
    headers: answerHeaders,
    body: parsed.body,
    elapsedMs: res.timings?.duration ?? 0,
  };
  const problems = parsed.error ? [parsed.error] : checkExpectations(step, answer, parsed.json);
  const capture = captureValues(step, answer);
  Object.assign(vars, capture.captured);
  return [...problems, ...capture.problems];
}

/**
 * Runs the setup's steps in order and throws at the first that fails, which stops the k6 run (k6 does
 * not start the load when setup() throws): no load on data that was never created.
 */
export function runSetupSteps(
  steps: readonly SetupStep[],
  baseUrl: string,
  vars: Record<string, string>,
  env: Readonly<Record<string, string | undefined>>,
): void {
  for (const step of steps) {
    const problems = sendStep(step, baseUrl, vars, env);
    if (problems.length > 0) throw new Error(`setup step "${step.name}" failed: ${problems.join('; ')}`);
  }
}

/**
 * Runs every teardown step (one failing does not keep the others from cleaning up), skipping a step
 * that needs a value the setup never captured, and throws at the end if any failed.
 */
export function runTeardownSteps(
  steps: readonly SetupStep[],
  baseUrl: string,
  vars: Record<string, string>,
  env: Readonly<Record<string, string | undefined>>,
): void {
  const failed: string[] = [];
  for (const step of steps) {
    const problems = sendStep(step, baseUrl, vars, env);
    if (problems.length > 0 && !problems[0]!.startsWith('not sent'))
      failed.push(`teardown step "${step.name}" failed: ${problems.join('; ')}`);
  }
  if (failed.length > 0) throw new Error(failed.join('; '));
}
