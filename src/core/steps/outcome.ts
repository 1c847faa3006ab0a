// What a step's answer means: its body read as JSON (or text), the expectations it meets or not, and
// the values it captures for later steps. Pure, so the integration steps, the performance scenarios'
// setup and teardown, and the same steps inside a k6 script (which has no Node) judge an answer alike.

import { readPath } from '../parity/path.js';
import type { Step } from './step.js';

/** The part of an answer expectations read. */
export interface StepAnswer {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: unknown;
  elapsedMs: number;
}

/** The body as JSON when it is JSON; text otherwise; `undefined` when empty. */
export function parseBody(
  text: string,
  headers: Record<string, string>,
): { body: unknown; json: boolean; error?: string } {
  const type = (headers['content-type'] ?? '').toLowerCase();
  if (text.trim() === '') return { body: undefined, json: false };
  const says = type.includes('json');
  try {
    return { body: JSON.parse(text), json: true };
  } catch (error) {
    if (says) return { body: text, json: false, error: `malformed JSON body (${(error as Error).message})` };
    return { body: text, json: false };
  }
}

/** The step's unmet expectations, each a sentence (status, body kind, schema, headers, duration). */
export function checkExpectations(
  step: Pick<Step, 'request' | 'expect'>,
  res: StepAnswer,
  isJson: boolean,
): string[] {
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

/** The step's captures from an answer: a body path, or `header:<name>`; a capture with no value is a problem. */
export function captureValues(
  step: Pick<Step, 'capture'>,
  res: Pick<StepAnswer, 'headers' | 'body'>,
): { captured: Record<string, string>; problems: string[] } {
  const captured: Record<string, string> = {};
  const problems: string[] = [];
  for (const [name, from] of Object.entries(step.capture ?? {})) {
    const value = from.startsWith('header:')
      ? ownHeader(res.headers, from.slice(7))
      : readPath(res.body, from);
    if (value === undefined || value === null || typeof value === 'object') {
      problems.push(`capture ${name}: no value at ${from}`);
    } else {
      captured[name] = String(value);
    }
  }
  return { captured, problems };
}

/** A response header by name; only the headers' own keys, so `constructor` or `__proto__` find nothing. */
export function ownHeader<T>(headers: Readonly<Record<string, T>>, name: string): T | undefined {
  const key = name.toLowerCase();
  return Object.hasOwn(headers, key) ? headers[key] : undefined;
}
