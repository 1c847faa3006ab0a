// A scenario's k6-style checks for one answer: the response they read (the body as the wire client
// handed it on, its Content-Encoding undone; JSON parsed once, on demand) and their verdicts.
import type { CheckResponse, PerformanceScenario } from '../../../suites/performance/scenario.js';
import type { ParsedResponse } from './wire/response-parser.js';

type Checks = NonNullable<PerformanceScenario['requests'][number]['checks']>;

/** What checks see of an answer. */
export function checkResponse(r: ParsedResponse): CheckResponse {
  const body = r.body?.toString('utf8') ?? '';
  let parsed: { value: unknown } | undefined;
  return {
    status: r.status,
    body,
    headers: r.headers ?? {},
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
