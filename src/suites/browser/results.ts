// Playwright's JSON report read into one outcome per test and project, judged here from the test's own
// results: a spec's `ok` is computed when the first project's tests are serialised and never again (a
// spec can say ok while the target's test failed), so it is never read. A test that passed only on a
// retry is flaky; a test with no result (its login setup failed, the run was cut short) did not run,
// which is a failure unless the spec itself skipped it. Pure: the report's text comes in.
import type { JSONReport, JSONReportSuite, JSONReportTest } from '@playwright/test/reporter';
import { CAPTURE_JSON, type Capture, captureSchema } from './capture-model.js';

export interface Attachment {
  name: string;
  contentType: string;
  /** A file Playwright kept (trace, screenshot, error context), absolute. */
  path?: string;
  /** The retry it belongs to (0 = first attempt). */
  retry: number;
}

export interface TestOutcome {
  project: string;
  file: string;
  /** Describe titles and the test's, joined by ' › '. */
  title: string;
  status: 'pass' | 'fail' | 'skip';
  flaky: boolean;
  attempts: number;
  /** Why it failed (the last attempt's first error, without terminal colours), or why it was skipped. */
  reason?: string;
  durationMs: number;
  attachments: Attachment[];
  /** The captures of the last attempt, and any capture attachment that did not read. */
  captures: Capture[];
  captureErrors: string[];
}

export interface ParsedReport {
  tests: TestOutcome[];
  /** Errors outside any test: a config that did not load, a spec that did not compile, a worker crash. */
  errors: string[];
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal colour escapes are what is removed.
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

function firstLines(text: string, lines = 4): string {
  return stripAnsi(text).trim().split('\n').slice(0, lines).join(' ').replace(/\s+/g, ' ').slice(0, 400);
}

function judge(test: JSONReportTest): Pick<TestOutcome, 'status' | 'flaky' | 'reason'> {
  const results = [...test.results].sort((a, b) => a.retry - b.retry);
  const last = results[results.length - 1];
  const skipAnnotation = test.annotations.find((a) => a.type === 'skip' || a.type === 'fixme');
  if (test.expectedStatus === 'skipped' || last?.status === 'skipped') {
    return { status: 'skip', flaky: false, reason: skipAnnotation?.description ?? 'skipped by the spec' };
  }
  if (!last)
    return { status: 'fail', flaky: false, reason: 'did not run (a dependency failed or the run stopped)' };
  const ok = (s: string | undefined) => s === test.expectedStatus;
  if (ok(last.status)) {
    const failedBefore = results.slice(0, -1).filter((r) => !ok(r.status));
    return failedBefore.length
      ? {
          status: 'pass',
          flaky: true,
          reason: `flaky: passed on try ${last.retry + 1} after ${failedBefore.length} failed: ${firstLines(failedBefore[0]!.error?.message ?? failedBefore[0]!.status ?? '')}`,
        }
      : { status: 'pass', flaky: false };
  }
  const message = last.error?.message ?? last.errors[0]?.message;
  return {
    status: 'fail',
    flaky: false,
    reason: `${last.status ?? 'failed'}${results.length > 1 ? ` on all ${results.length} tries` : ''}${message ? `: ${firstLines(message)}` : ''}`,
  };
}

function capturesOf(test: JSONReportTest): { captures: Capture[]; errors: string[] } {
  const last = [...test.results].sort((a, b) => b.retry - a.retry)[0];
  const captures: Capture[] = [];
  const errors: string[] = [];
  for (const a of last?.attachments ?? []) {
    if (!a.name.startsWith(`${CAPTURE_JSON}:`)) continue;
    try {
      const parsed = captureSchema.safeParse(
        JSON.parse(Buffer.from(a.body ?? '', 'base64').toString('utf8')),
      );
      if (parsed.success) captures.push(parsed.data);
      else errors.push(`${a.name}: ${parsed.error.issues[0]?.message ?? 'unreadable'}`);
    } catch {
      errors.push(`${a.name}: not JSON`);
    }
  }
  return { captures, errors };
}

function walk(suite: JSONReportSuite, titles: string[], out: TestOutcome[]): void {
  const here = suite.title && !suite.title.endsWith(suite.file) ? [...titles, suite.title] : titles;
  for (const spec of suite.specs) {
    for (const test of spec.tests) {
      const { captures, errors } = capturesOf(test);
      out.push({
        project: test.projectName,
        file: spec.file,
        title: [...here, spec.title].join(' › '),
        ...judge(test),
        attempts: test.results.length,
        durationMs: test.results.reduce((s, r) => s + r.duration, 0),
        attachments: test.results.flatMap((r) =>
          r.attachments
            .filter((a) => a.path)
            .map((a) => ({ name: a.name, contentType: a.contentType, path: a.path!, retry: r.retry })),
        ),
        captures,
        captureErrors: errors,
      });
    }
  }
  for (const child of suite.suites ?? []) walk(child, here, out);
}

/** Reads one report; a text that is not a report is an error, not an empty run. */
export function parseReport(text: string): ParsedReport {
  let report: JSONReport;
  try {
    report = JSON.parse(text) as JSONReport;
  } catch {
    return { tests: [], errors: ['the JSON report is not JSON'] };
  }
  if (!report || !Array.isArray(report.suites))
    return { tests: [], errors: ['the JSON report has no suites'] };
  const tests: TestOutcome[] = [];
  for (const suite of report.suites) walk(suite, [], tests);
  return { tests, errors: (report.errors ?? []).map((e) => firstLines(e.message ?? String(e), 6)) };
}

/** Several shards' reports as one: their tests side by side, their errors together. */
export function mergeReports(parts: readonly ParsedReport[]): ParsedReport {
  return { tests: parts.flatMap((p) => p.tests), errors: parts.flatMap((p) => p.errors) };
}
