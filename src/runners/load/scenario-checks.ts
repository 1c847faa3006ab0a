// A scenario's k6-style checks for one answer: the response they read (the body as the wire client
// handed it on, its Content-Encoding undone; JSON parsed once, on demand) and their verdicts.
import type { CheckResponse, PerformanceScenario } from '../../core/load/scenario.js';
import { bodyText, declaresUtf8, notUtf8Reason } from '../http/text.js';
import type { ParsedResponse } from './wire/response-parser.js';

type Checks = NonNullable<PerformanceScenario['requests'][number]['checks']>;

/**
 * What checks see of an answer. A body that is not UTF-8 is read as text with U+FFFD, as k6 gives it to
 * a script, and is never JSON (RFC 8259 §8.1) — unless its Content-Type declares UTF-8: then reading it
 * at all throws, naming the byte offset, so every check that reads it fails, as the smoke suite's health
 * check does, instead of passing on text the server never sent.
 */
export function checkResponse(r: ParsedResponse): CheckResponse {
  const headers = r.headers ?? {};
  const read = r.body ? bodyText(r.body) : ({ ok: true, text: '' } as const);
  const broken =
    !read.ok && declaresUtf8(headers['content-type'])
      ? new Error(notUtf8Reason('the body', r.body!, read.invalidAt, headers['content-type']))
      : undefined;
  let parsed: { value: unknown } | undefined;
  return {
    status: r.status,
    get body() {
      if (broken) throw broken;
      return read.ok ? read.text : read.lossy;
    },
    headers,
    json: () => {
      if (broken) throw broken;
      if (!parsed) {
        try {
          parsed = { value: read.ok ? JSON.parse(read.text) : undefined };
        } catch {
          parsed = { value: undefined };
        }
      }
      return parsed.value;
    },
  };
}

/** Runs each check once; one that throws or returns anything but `true` failed. */
export function runChecks(
  checks: Checks,
  r: CheckResponse,
  recorder: { check(name: string, ok: boolean): void },
): void {
  for (const [name, check] of Object.entries(checks)) {
    let ok = false;
    try {
      ok = check(r) === true;
    } catch {
      ok = false;
    }
    recorder.check(name, ok);
  }
}
