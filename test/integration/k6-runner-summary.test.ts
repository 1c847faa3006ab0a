// A k6-operator runner's summary (src/runners/k6/runner-summary.ts): the bundle counts every request in
// the embedded engine's HDR buckets through k6's checks and writes one line at the end; read back, it
// holds exactly what the JSON lines hold. And the k6 stand-in writes what k6 writes (shared/reference/
// k6.md §4–5): every built-in HTTP metric, RFC3339 nanosecond time stamps with an offset, a
// dropped_iterations point per drop, a throwing check that aborts the iteration.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentLogFile } from '../../sim/kube/pod-logs.js';
import { bundleK6Script } from '../../src/runners/k6/build.js';
import { readK6Text, requestsMeasured, sliceFromRunnerSummary } from '../../src/runners/k6/parse.js';
import { reconcileRunner } from '../../src/runners/k6/runner-reconcile.js';
import {
  findRunnerSummary,
  histogramCount,
  RUNNER_SUMMARY_MARK,
  type RunnerSummary,
  runnerSummaryOf,
} from '../../src/runners/k6/runner-summary.js';
import { ROOT } from '../helpers/project.js';

const STAND_IN = join(ROOT, 'test/fixtures/k6-standin/k6');
let server: Server;
let base = '';
let dir = '';

beforeAll(async () => {
  // Latencies spread over several buckets; /missing answers 404.
  server = createServer((req, res) => {
    const wait = Math.floor(Math.random() * 6);
    setTimeout(() => res.writeHead(req.url === '/missing' ? 404 : 200).end('{"items":[1]}'), wait);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'cutover-runner-summary-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await new Promise<void>((r) => server.close(() => r()));
});

const SCENARIO = `export default {
  name: 'mix', service: 'api',
  executor: { executor: 'constant-arrival-rate', rate: 60, duration: '2s', preAllocatedVUs: 2, maxVUs: 4 },
  requests: [
    { weight: 2, method: 'GET', path: '/ok', checks: {
      'throws': (r) => r.json().nothing.here,
      'is 200': (r) => r.status === 200,
    } },
    { weight: 1, method: 'GET', path: '/missing' },
  ],
};
`;

async function script(runnerSummary: boolean): Promise<string> {
  const file = join(dir, 'mix.mjs');
  writeFileSync(file, SCENARIO);
  const scenario = (await import(pathToFileURL(file).href)).default;
  const out = join(dir, `mix-${runnerSummary}.js`);
  writeFileSync(out, (await bundleK6Script({ scenario, file }, { runnerSummary })).text);
  return out;
}

function k6(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
    execFile(
      STAND_IN,
      ['run', '--quiet', '--out', 'json=-', ...args],
      { env: { PATH: process.env.PATH ?? '', CUTOVER_BASE_URL: base, ...env }, maxBuffer: 1 << 28 },
      (error, stdout, stderr) => done({ code: error ? Number(error.code) : 0, stdout, stderr }),
    ),
  );
}

describe("a k6-operator runner's summary", () => {
  it('holds exactly what its JSON lines hold, in the embedded engine’s buckets, and reconciles', async () => {
    const r = await k6([await script(true)], { K6_STANDIN_DROPPED: '3' });
    expect(r.code, r.stderr).toBe(0);
    const summary = findRunnerSummary(r.stdout);
    expect(summary).toBeDefined();
    // Written once, as the output's last line.
    expect(r.stdout.trimEnd().split('\n').at(-1)!.startsWith(RUNNER_SUMMARY_MARK)).toBe(true);
    const fromLog = readK6Text(r.stdout, 'mix', 'target');
    const fromSummary = sliceFromRunnerSummary(summary!, 'target', fromLog);
    expect(requestsMeasured(fromLog)).toBe(120);
    expect(histogramCount(summary!)).toBe(120);
    expect(summary!.requests).toBe(120);
    // Identical encoded histograms: the same buckets as recording each sample (DurationTable, the embedded engine's).
    expect(fromSummary.durations).toEqual(fromLog.durations);
    expect(Object.keys(fromSummary.durations['GET /ok']!)).toEqual(['2xx']);
    expect(Object.keys(fromSummary.durations['GET /missing']!)).toEqual(['4xx']);
    expect(fromSummary.failed).toEqual(fromLog.failed);
    expect(fromSummary.failed['GET /missing']).toEqual({ failed: 40, ok: 0 });
    // The scenario's checks, not the latency counts; a throwing check fails and the others still run.
    expect(fromSummary.checks).toEqual(fromLog.checks);
    expect(fromSummary.checks).toEqual({
      throws: { passes: 0, fails: 80 },
      'is 200': { passes: 80, fails: 0 },
    });
    expect(fromSummary.dropped).toBe(3);
    expect(fromSummary.iterations).toBe(120);
    expect(reconcileRunner({ runner: 'r-1', summary: summary!, samplesRead: 120 })).toEqual({});
  }, 60_000);

  it('is not written by a bundle for k6 itself or for a user, who keep k6’s own summary', async () => {
    const r = await k6([await script(false)]);
    expect(r.code, r.stderr).toBe(0);
    expect(findRunnerSummary(r.stdout)).toBeUndefined();
    expect(r.stdout).toContain('TOTAL RESULTS');
  }, 60_000);

  it('says what is missing, with the numbers', () => {
    const s: RunnerSummary = {
      scenario: 'mix',
      requests: 10,
      iterations: 9,
      dropped: 0,
      maxVUs: 2,
      latency: { 'GET /ok': { '2xx': [1500, 4, 1600, 4] } },
      failed: {},
      checks: {},
    };
    expect(reconcileRunner({ runner: 'tr-2', summary: s, samplesRead: 8 }).shortfall).toBe(
      'tr-2: 8 requests in its latency histogram, k6 counted 10 sent (2 missing; 9 iterations completed, 8 requests in its log)',
    );
    expect(reconcileRunner({ runner: 'tr-2', samplesRead: 5 }).shortfall).toMatch(
      /^tr-2 wrote no end-of-test summary; its log held 5 requests/,
    );
    const whole = { ...s, requests: 8 };
    expect(reconcileRunner({ runner: 'tr-2', summary: whole, samplesRead: 3 })).toEqual({
      note: 'tr-2: its log held 3 of its 8 requests (rotated by the kubelet); results from its summary, the per-second series only from what the log held',
    });
  });

  it('is found only whole: a cut or foreign line is no summary', () => {
    const line = `${RUNNER_SUMMARY_MARK}${JSON.stringify(runnerSummaryOf({}, 'mix'))}\n`;
    expect(findRunnerSummary(`{"type":"Point"}\n${line}`)?.scenario).toBe('mix');
    expect(findRunnerSummary(`{"type":"Point"}\n${line.slice(0, 40)}`)).toBeUndefined();
    expect(findRunnerSummary(`x ${line}`)).toBeUndefined();
    expect(findRunnerSummary(`${RUNNER_SUMMARY_MARK}{"scenario":"mix"}\n`)).toBeUndefined();
  });
});

describe('the kubelet’s log rotation (sim/kube/pod-logs.ts)', () => {
  it('serves only the file written since the last rotation, starting at a line', () => {
    const line = `${'x'.repeat(99)}\n`;
    expect(currentLogFile(line.repeat(5), 1000)).toBe(line.repeat(5));
    // 25 lines of 100 bytes, rotated each time a file passes 1000 bytes: after lines 11 and 22.
    expect(currentLogFile(line.repeat(25), 1000)).toBe(line.repeat(3));
  });
});

describe('the k6 stand-in writes what k6 writes', () => {
  it('every built-in HTTP metric, nanosecond time stamps with an offset, a point per dropped iteration', async () => {
    const r = await k6([await script(false)], { K6_STANDIN_DROPPED: '4', K6_STANDIN_UTC_OFFSET: '120' });
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('{'));
    const points = lines.map((l) => JSON.parse(l)).filter((o) => o.type === 'Point');
    const metrics = new Set(points.map((p) => p.metric));
    for (const m of [
      'http_reqs',
      'http_req_duration',
      'http_req_blocked',
      'http_req_connecting',
      'http_req_tls_handshaking',
      'http_req_sending',
      'http_req_waiting',
      'http_req_receiving',
      'http_req_failed',
      'data_sent',
      'data_received',
      'iterations',
      'iteration_duration',
      'vus',
      'vus_max',
      'checks',
      'dropped_iterations',
    ])
      expect(metrics.has(m), m).toBe(true);
    // Go's RFC3339Nano in a +02:00 zone, as the docs' sample `2017-05-09T14:34:45.239531499+02:00`.
    const time = points[0].data.time as string;
    expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?\+02:00$/);
    expect(Math.abs(Date.parse(time) - Date.now())).toBeLessThan(60_000);
    const drops = points.filter((p) => p.metric === 'dropped_iterations');
    expect(drops.map((p) => p.data.value)).toEqual([1, 1, 1, 1]);
  }, 60_000);

  it('aborts the iteration at a check that throws, as k6 rethrows it', async () => {
    const file = join(dir, 'raw.js');
    writeFileSync(
      file,
      `import { check } from 'k6';
import http from 'k6/http';
export const options = { scenarios: { raw: { executor: 'per-vu-iterations', vus: 1, iterations: 3 } } };
export default function () {
  const res = http.request('GET', __ENV.CUTOVER_BASE_URL + '/ok', null, {});
  check(res, { first: () => { throw new Error('boom'); }, second: () => true });
}
`,
    );
    const r = await k6([file], { K6_STANDIN_VU_ITERATIONS: '3' });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/level=error msg="Error: boom/);
    const points = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l))
      .filter((o) => o.type === 'Point');
    const count = (m: string) => points.filter((p) => p.metric === m).length;
    expect(count('http_reqs')).toBe(3);
    // The throwing check counted failed; the one after it never ran; no iteration completed.
    expect(points.filter((p) => p.metric === 'checks').map((p) => [p.data.tags.check, p.data.value])).toEqual(
      [
        ['first', 0],
        ['first', 0],
        ['first', 0],
      ],
    );
    expect(count('iterations')).toBe(0);
  }, 60_000);
});
