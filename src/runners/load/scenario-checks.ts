// A scenario's k6-style checks for one answer: the response they read (the body with its
// Content-Encoding undone, as k6 gives `r.body`; JSON parsed once, on demand) and their verdicts.
import type { CheckResponse, PerformanceScenario } from '../../../suites/performance/scenario.js';
import { decodeContent } from '../http/content-coding.js';
import type { ParsedResponse } from './wire/response-parser.js';
import { DEFAULT_LIMITS } from './wire/response-parser.js';

type Checks = NonNullable<PerformanceScenario['requests'][number]['checks']>;

const EMPTY = Buffer.alloc(0);

/**
 * What checks see of an answer. Throws a `protocol` error (probeError) when the body does not decode
 * or decodes past the parser's body cap: the answer is then malformed, like one the parser refuses.
 */
export function checkResponse(r: ParsedResponse): CheckResponse {
  const headers = r.headers ?? {};
  const body = decodeContent(
    r.body ?? EMPTY,
    headers['content-encoding'],
    DEFAULT_LIMITS.maxBodyBytes,
  ).toString('utf8');
  let parsed: { value: unknown } | undefined;
  return {
    status: r.status,
    body,
    headers,
    json: () => {
      if (!parsed) {
        try {
          parsed = { value: JSON.parse(body) };
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
  record: (name: string, ok: boolean) => void,
): void {
  for (const [name, check] of Object.entries(checks)) {
    let ok = false;
    try {
      ok = check(r) === true;
    } catch {
      ok = false;
    }
    record(name, ok);
  }
}
