// Playwright's JSON report read per test and environment: judged from each test's own results, never
// from the spec's `ok` (which Playwright computes before the other projects' tests are merged in).
import { describe, expect, it } from 'vitest';
import { CAPTURE_CONTENT_TYPE, type Capture } from '../../src/suites/browser/capture-model.js';
import { mergeReports, parseReport } from '../../src/suites/browser/results.js';

type Result = {
  status: string;
  retry: number;
  error?: { message: string };
  attachments?: { name: string; contentType: string; path?: string; body?: string }[];
};

function testOf(project: string, results: Result[], expectedStatus = 'passed', annotations: unknown[] = []) {
  return {
    projectName: project,
    projectId: project,
    expectedStatus,
    annotations,
    timeout: 30000,
    status: 'expected',
    results: results.map((r) => ({
      workerIndex: 0,
      parallelIndex: 0,
      duration: 10,
      errors: r.error ? [r.error] : [],
      stdout: [],
      stderr: [],
      startTime: '2026-12-07T05:00:00.000Z',
      annotations: [],
      attachments: [],
      ...r,
    })),
  };
}

function report(tests: ReturnType<typeof testOf>[], title = 'list shows equipment') {
  return JSON.stringify({
    config: {},
    errors: [],
    stats: {},
    suites: [
      {
        title: 'bookings.spec.ts',
        file: 'bookings.spec.ts',
        specs: [],
        suites: [
          {
            title: 'bookings',
            file: 'bookings.spec.ts',
            specs: [
              { title, ok: true, tags: [], id: 'x', file: 'bookings.spec.ts', line: 1, column: 1, tests },
            ],
          },
        ],
      },
    ],
  });
}

const capture: Capture = {
  page: 'bookings list',
  url: 'http://127.0.0.1:1/',
  environment: 'target',
  browserVersion: '156.0.8078.129',
  loads: [{ ttfb: 3, dcl: 20, load: 40, lcp: 50, cls: 0 }],
  consoleErrors: [],
  failedRequests: [],
  axe: [],
  masks: [],
};

describe('reading the JSON report', () => {
  it("fails the target's test even though the spec says ok", () => {
    const parsed = parseReport(
      report([
        testOf('baseline', [{ status: 'passed', retry: 0 }]),
        testOf('target', [
          {
            status: 'failed',
            retry: 0,
            error: { message: '\u001b[31mExpected: 200\u001b[39m\nReceived: 404' },
          },
        ]),
      ]),
    );
    expect(parsed.tests.map((t) => [t.project, t.title, t.status])).toEqual([
      ['baseline', 'bookings › list shows equipment', 'pass'],
      ['target', 'bookings › list shows equipment', 'fail'],
    ]);
    // Without the terminal colours Playwright leaves in messages.
    expect(parsed.tests[1]!.reason).toBe('failed: Expected: 200 Received: 404');
  });

  it('marks a test that passed on a retry as flaky, and one that failed every try as failed', () => {
    const parsed = parseReport(
      report([
        testOf('baseline', [
          { status: 'failed', retry: 0, error: { message: 'timeout' } },
          { status: 'passed', retry: 1 },
        ]),
        testOf('target', [
          { status: 'failed', retry: 0, error: { message: 'first' } },
          { status: 'timedOut', retry: 1, error: { message: 'second' } },
        ]),
      ]),
    );
    const [flaky, failed] = parsed.tests;
    expect(flaky).toMatchObject({ status: 'pass', flaky: true, attempts: 2 });
    expect(flaky!.reason).toContain('passed on try 2 after 1 failed: timeout');
    expect(failed).toMatchObject({ status: 'fail', flaky: false });
    expect(failed!.reason).toBe('timedOut on all 2 tries: second');
  });

  it('fails a test that never ran (its login setup failed) and skips one the spec skipped', () => {
    const parsed = parseReport(
      report([testOf('target', []), testOf('baseline', [{ status: 'skipped', retry: 0 }], 'skipped')]),
    );
    expect(parsed.tests.map((t) => t.status)).toEqual(['fail', 'skip']);
    expect(parsed.tests[0]!.reason).toContain('did not run');
  });

  it("reads the last attempt's captures and keeps every attempt's files with their retry", () => {
    const body = Buffer.from(JSON.stringify(capture)).toString('base64');
    const parsed = parseReport(
      report([
        testOf('target', [
          {
            status: 'failed',
            retry: 0,
            attachments: [{ name: 'trace', contentType: 'application/zip', path: '/tmp/a/trace.zip' }],
          },
          {
            status: 'passed',
            retry: 1,
            attachments: [
              { name: 'cutover-capture: bookings list', contentType: CAPTURE_CONTENT_TYPE, body },
              { name: 'cutover-capture: broken', contentType: CAPTURE_CONTENT_TYPE, body: 'bm90IGpzb24=' },
            ],
          },
        ]),
      ]),
    );
    const t = parsed.tests[0]!;
    expect(t.captures).toEqual([capture]);
    expect(t.captureErrors).toEqual(['cutover-capture: broken: not JSON']);
    expect(t.attachments).toEqual([
      { name: 'trace', contentType: 'application/zip', path: '/tmp/a/trace.zip', retry: 0 },
    ]);
  });

  it('says what is wrong with a report that is not one, and merges shards', () => {
    expect(parseReport('{').errors).toEqual(['the JSON report is not JSON']);
    expect(parseReport('{}').errors).toEqual(['the JSON report has no suites']);
    const a = parseReport(report([testOf('target', [{ status: 'passed', retry: 0 }])], 'a'));
    const b = parseReport(report([testOf('target', [{ status: 'passed', retry: 0 }])], 'b'));
    expect(mergeReports([a, b]).tests.map((t) => t.title)).toEqual(['bookings › a', 'bookings › b']);
  });
});
