// The embedded engine in-process against real loopback servers: mix, checks, failures by class,
// dropped iterations, coordinated omission, exact merging, and refusing foreign hosts.
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHistogram, quantileMs } from '../../src/core/histogram.js';
import { toProfile } from '../../src/core/load/profile.js';
import type { PerformanceScenario } from '../../src/core/load/scenario.js';
import { runSlice, type SliceSpec } from '../../src/runners/load/executor.js';
import { answeredHistogram, mergeSlices } from '../../src/runners/load/recorder.js';
import { defineLoad } from '../../src/suites/performance/define.js';
import { metricEvidence } from '../../src/suites/performance/evidence.js';
import { freePort } from '../helpers/project.js';
import { makePki } from '../helpers/tls.js';

let server: Server;
let base = '';
let requests = 0;
let stallUntil = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    const url = new URL(req.url ?? '/', 'http://x');
    const answer = () => {
      if (url.pathname === '/fail') {
        res.writeHead(503).end('{"error":"down"}');
      } else if (url.pathname === '/reset') {
        req.socket.destroy();
      } else if (url.pathname === '/hang') {
        // Never answers: the client's timeout must end it.
      } else if (url.pathname === '/gzip') {
        // Compressed only when asked, as nginx's gzip and Traefik's compress middleware do.
        const gzip = /gzip/.test(String(req.headers['accept-encoding'] ?? ''));
        res
          .writeHead(200, {
            'content-type': 'application/json',
            ...(gzip ? { 'content-encoding': 'gzip' } : {}),
          })
          .end(gzip ? gzipSync('{"items":[1,2]}') : '{"items":[1,2]}');
      } else if (url.pathname === '/bad-gzip') {
        res
          .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
          .end('{"items":[]}');
      } else if (url.pathname === '/slow') {
        setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), 30);
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[1,2]}');
      }
    };
    const wait = stallUntil - Date.now();
    if (wait > 0) setTimeout(answer, wait);
    else answer();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function spec(s: PerformanceScenario, overrides: Partial<SliceSpec> = {}): SliceSpec {
  return {
    scenario: s.name,
    environment: 'baseline',
    baseUrl: base,
    pins: {},
    timeoutMs: 2000,
    profile: toProfile(s.executor),
    slice: { index: 0, count: 1 },
    maxRequests: 100_000,
    env: {},
    ...overrides,
  };
}

const arrival = (rate: number, duration: string, maxVUs = 50) =>
  ({
    executor: 'constant-arrival-rate',
    rate,
    duration,
    preAllocatedVUs: Math.min(5, maxVUs),
    maxVUs,
    gracefulStop: '2s',
  }) as const;

describe('embedded engine', () => {
  it('sends the weighted mix, runs checks and counts failures the k6 way', async () => {
    const s = defineLoad({
      name: 'mix',
      description: 'mix',
      service: 'svc',
      // VUs to spare: exact counts must not depend on how busy the machine is.
      executor: arrival(200, '1s', 400),
      requests: [
        {
          weight: 3,
          method: 'GET',
          path: '/items',
          checks: { 'has items': (r) => Array.isArray((r.json() as { items: unknown }).items) },
        },
        { weight: 1, method: 'GET', path: '/fail', checks: { 'is 200': (r) => r.status === 200 } },
      ],
    });
    const r = await runSlice(s, spec(s));
    expect(r.failed['GET /items']).toEqual({ failed: 0, ok: 150 });
    expect(r.failed['GET /fail']).toEqual({ failed: 50, ok: 0 });
    expect(r.checks['has items']).toEqual({ passes: 150, fails: 0 });
    expect(r.checks['is 200']).toEqual({ passes: 0, fails: 50 });
    expect(r.durations['GET /fail']?.['5xx']?.count).toBe(50);
    const ev = metricEvidence(s, r, '2026-01-01T00:00:00Z');
    const failed = ev.find((e) => e.name === 'http_req_failed' && e.tags.endpoint === 'GET /fail');
    // k6 semantics: passes are the TRUE samples, i.e. failed requests.
    expect(failed).toMatchObject({
      type: 'rate',
      passes: 50,
      fails: 0,
      tags: { scenario: 'mix', service: 'svc', endpoint: 'GET /fail' },
    });
    expect(ev.find((e) => e.name === 'http_reqs' && e.tags.endpoint === 'GET /items')?.count).toBe(150);
    expect(ev.filter((e) => e.name === 'http_req_duration')).toHaveLength(2);
  });

  it('checks read the body with its Content-Encoding undone; one that does not decode is a protocol failure', async () => {
    const hasItems = (r: { json: () => unknown }) => Array.isArray((r.json() as { items?: unknown })?.items);
    const s = defineLoad({
      name: 'coded',
      description: 'coded',
      service: 'svc',
      executor: arrival(100, '500ms', 200),
      requests: [
        {
          weight: 1,
          method: 'GET',
          path: '/gzip',
          headers: { 'accept-encoding': 'gzip' },
          checks: { 'gzip items': hasItems },
        },
        { weight: 1, method: 'GET', path: '/bad-gzip', checks: { 'bad items': hasItems } },
      ],
    });
    const r = await runSlice(s, spec(s));
    expect(r.checks['gzip items']?.fails).toBe(0);
    expect(r.checks['gzip items']?.passes).toBeGreaterThan(10);
    expect(r.failed['GET /gzip']?.failed).toBe(0);
    expect(r.checks['bad items']?.passes).toBe(0);
    const bad = r.checks['bad items']?.fails ?? 0;
    expect(bad).toBeGreaterThan(10);
    expect(r.failed['GET /bad-gzip']).toEqual({ failed: bad, ok: 0 });
    expect(r.errorSamples.protocol?.[0]).toMatch(
      /^malformed HTTP response from 127\.0\.0\.1:\d+: gzip body does not decode/,
    );
  });

  it('never measures a request as shorter than it took, though timers may wake early', async () => {
    const s = defineLoad({
      name: 'fast',
      description: 'fast',
      service: 'svc',
      executor: arrival(400, '1s', 400),
      requests: [{ weight: 1, method: 'GET', path: '/items' }],
    });
    const r = await runSlice(s, spec(s));
    const h = answeredHistogram(r, 'GET /items')!;
    expect(h.totalCount).toBeGreaterThan(300);
    // A loopback HTTP round trip through Node takes tens of microseconds at the very least; a sample
    // at the histogram's 1 µs floor would be a latency measured from a start in the future.
    expect(h.minNonZeroValue).toBeGreaterThanOrEqual(20);
  });

  it('classifies refused and reset connections and still measures the rest', async () => {
    const closedPort = await freePort();
    const s = defineLoad({
      name: 'errors',
      description: 'errors',
      service: 'svc',
      executor: arrival(40, '500ms'),
      requests: [{ weight: 1, method: 'GET', path: '/reset', checks: { answered: () => true } }],
    });
    const reset = await runSlice(s, spec(s));
    expect(reset.durations['GET /reset']?.reset?.count).toBe(20);
    expect(reset.errorSamples.reset?.[0]).toMatch(/closed the connection/);
    const refused = await runSlice(s, spec(s, { baseUrl: `http://127.0.0.1:${closedPort}` }));
    expect(refused.durations['GET /reset']?.refused?.count).toBe(20);
    expect(refused.failed['GET /reset']).toEqual({ failed: 20, ok: 0 });
    // A request without an answer fails each of its checks, as in k6 (even one that would always hold).
    expect(reset.checks).toEqual({ answered: { passes: 0, fails: 20 } });
    expect(refused.checks).toEqual({ answered: { passes: 0, fails: 20 } });
    // A transport failure has no answer: no latency is reported for the endpoint.
    expect(answeredHistogram(refused, 'GET /reset')).toBeUndefined();
    expect(metricEvidence(s, refused, 'x').some((e) => e.name === 'http_req_duration')).toBe(false);
  });

  it('classifies timeouts', async () => {
    const s = defineLoad({
      name: 'timeouts',
      description: 'timeouts',
      service: 'svc',
      executor: { ...arrival(10, '300ms'), gracefulStop: '10s' },
      requests: [{ weight: 1, method: 'GET', path: '/hang' }],
    });
    const r = await runSlice(s, spec(s, { timeoutMs: 200 }));
    expect(r.durations['GET /hang']?.timeout?.count).toBe(3);
    expect(r.errorSamples.timeout?.[0]).toMatch(/no answer from 127\.0\.0\.1:\d+ within 200 ms/);
  });

  it('drops iterations when maxVUs are busy (k6 dropped_iterations)', async () => {
    const s = defineLoad({
      name: 'drops',
      description: 'drops',
      service: 'svc',
      executor: arrival(100, '500ms', 1),
      requests: [{ weight: 1, method: 'GET', path: '/slow' }],
    });
    const r = await runSlice(s, spec(s));
    expect(r.dropped).toBeGreaterThan(20);
    expect(r.dropped + r.iterations).toBe(50);
    expect(r.maxConcurrent).toBe(1);
  });

  it('measures from the scheduled start: a server stall shows in the percentiles (coordinated omission)', async () => {
    const s = defineLoad({
      name: 'stall',
      description: 'stall',
      service: 'svc',
      executor: arrival(100, '2s', 200),
      requests: [{ weight: 1, method: 'GET', path: '/items' }],
    });
    const run = runSlice(s, spec(s));
    setTimeout(() => {
      stallUntil = Date.now() + 500;
    }, 700);
    const r = await run;
    const h = answeredHistogram(r, 'GET /items')!;
    expect(h.totalCount).toBe(200);
    // ~50 of 200 requests were scheduled inside the 500 ms stall: the top 10 % all waited over 250 ms.
    expect(quantileMs(h, 0.9)).toBeGreaterThan(250);
    expect(quantileMs(h, 0.99)).toBeGreaterThan(400);
  });

  it('records its own send lag: a blocked load loop shows in it, a stalled server does not', async () => {
    const s = defineLoad({
      name: 'lag',
      description: 'lag',
      service: 'svc',
      executor: arrival(100, '2s', 200),
      requests: [{ weight: 1, method: 'GET', path: '/items' }],
    });
    // The server stalls 500 ms: latencies grow, but every iteration still goes out on time.
    const stalled = runSlice(s, spec(s));
    setTimeout(() => {
      stallUntil = Date.now() + 500;
    }, 700);
    const a = await stalled;
    expect(a.sendLag?.count).toBe(200);
    const lagA = decodeHistogram(a.sendLag!.histogram);
    expect(quantileMs(answeredHistogram(a, 'GET /items')!, 0.99)).toBeGreaterThan(400);
    expect(quantileMs(lagA, 0.99)).toBeLessThan(150);
    // The load loop itself is blocked for 300 ms: the ~30 iterations due meanwhile go out late.
    const blocked = runSlice(s, spec(s));
    setTimeout(() => {
      const until = performance.now() + 300;
      while (performance.now() < until) {
        // busy: nothing else in this thread runs
      }
    }, 700);
    const b = await blocked;
    const lagB = decodeHistogram(b.sendLag!.histogram);
    expect(quantileMs(lagB, 0.9)).toBeGreaterThan(50);
    expect(quantileMs(lagB, 0.99)).toBeGreaterThan(200);
    const evidence = metricEvidence(s, b, 'x').find((e) => e.name === 'cutover_send_lag');
    expect(evidence).toMatchObject({ type: 'trend', tags: { scenario: 'lag', service: 'svc' } });
  });

  it('runs closed-model VUs with think time', async () => {
    const s = defineLoad({
      name: 'vus',
      description: 'vus',
      service: 'svc',
      executor: { executor: 'constant-vus', vus: 2, duration: '500ms', gracefulStop: '1s' },
      sleep: '100ms',
      requests: [
        {
          weight: 1,
          method: 'GET',
          path: '/items',
          headers: ({ vu }) => {
            sends[vu] = [...(sends[vu] ?? []), performance.now()];
            return {};
          },
        },
      ],
    });
    const sends: number[][] = [];
    const r = await runSlice(s, spec(s));
    // Two VUs, each one request, then 100 ms of think time, for 500 ms: at most 2 × 6 (hundreds without
    // think time). Each VU's sends are at least the think time apart; how many fit depends on how busy
    // the machine is, so the lower bound is only that each VU went round more than once.
    expect(sends.filter((list) => list !== undefined)).toHaveLength(2);
    for (const list of sends) {
      expect(list.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < list.length; i++) expect(list[i]! - list[i - 1]!).toBeGreaterThanOrEqual(99);
    }
    expect(r.iterations).toBe(sends.flat().length);
    expect(r.iterations).toBeLessThanOrEqual(12);
  });

  it('reads every answer that is ready before a VU without think time sends again, as wrk does', async () => {
    // A server in this thread that answers four requests at once, in one callback: all four answers
    // are then in the sockets before the engine's next poll. Sending each VU's next request from
    // inside its answer's callback would put that write into the latency of the answers read after
    // it; the engine reads all four first (r r r r), then sends (s s s s).
    const pending: Array<() => void> = [];
    const burst = createServer((_req, res) => {
      pending.push(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
      if (pending.length === 4) for (const answer of pending.splice(0)) answer();
    });
    await new Promise<void>((r) => burst.listen(0, '127.0.0.1', r));
    const log: string[] = [];
    const s = defineLoad({
      name: 'burst',
      description: 'burst',
      service: 'svc',
      executor: { executor: 'constant-vus', vus: 4, duration: '300ms', gracefulStop: '1s' },
      requests: [
        {
          weight: 1,
          method: 'GET',
          path: '/',
          headers: () => {
            log.push('s');
            return {};
          },
          checks: { answered: () => log.push('r') > 0 },
        },
      ],
    });
    try {
      const r = await runSlice(
        s,
        spec(s, { baseUrl: `http://127.0.0.1:${(burst.address() as AddressInfo).port}` }),
      );
      const runs = log.join('').match(/r+|s+/g) ?? [];
      expect(runs.length).toBeGreaterThanOrEqual(6);
      expect(runs.filter((run) => run.length !== 4)).toEqual([]);
      expect(r.iterations).toBe(log.filter((e) => e === 's').length);
    } finally {
      burst.closeAllConnections();
      await new Promise<void>((r) => burst.close(() => r()));
    }
  });

  it('splits iterations between threads like execution segments and merges them exactly', async () => {
    const s = defineLoad({
      name: 'split',
      description: 'split',
      service: 'svc',
      executor: arrival(300, '500ms', 600),
      requests: [{ weight: 1, method: 'GET', path: '/items' }],
    });
    const parts = await Promise.all(
      [0, 1, 2].map((index) => runSlice(s, spec(s, { slice: { index, count: 3 } }))),
    );
    expect(parts.map((p) => p.iterations)).toEqual([50, 50, 50]);
    const merged = mergeSlices(parts);
    const h = decodeHistogram(merged.durations['GET /items']!['2xx']!.histogram);
    expect(h.totalCount).toBe(150);
    const max = Math.max(
      ...parts.map((p) => decodeHistogram(p.durations['GET /items']!['2xx']!.histogram).maxValue),
    );
    expect(h.maxValue).toBe(max);
  });

  it('loads an https host by its name through the pinned address, and classifies an untrusted certificate', async () => {
    const pki = makePki();
    const { key, cert } = pki.leaf('rentguy.sevensa.test', 30);
    const tls = createHttpsServer({ key, cert }, (_q, r) => r.writeHead(200).end('{}'));
    await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
    const url = `https://rentguy.sevensa.test:${(tls.address() as AddressInfo).port}`;
    const s = defineLoad({
      name: 'tls',
      description: 'tls',
      service: 'svc',
      executor: arrival(20, '500ms'),
      requests: [{ weight: 1, method: 'GET', path: '/' }],
    });
    const pins = { 'rentguy.sevensa.test': '127.0.0.1' };
    try {
      const trusted = await runSlice(s, spec(s, { baseUrl: url, pins, ca: pki.caCert }));
      expect(trusted.durations['GET /']?.['2xx']?.count).toBe(10);
      const untrusted = await runSlice(s, spec(s, { baseUrl: url, pins }));
      expect(untrusted.durations['GET /']?.tls?.count).toBe(10);
      const insecure = await runSlice(s, spec(s, { baseUrl: url, pins, insecure: true }));
      expect(insecure.durations['GET /']?.['2xx']?.count).toBe(10);
    } finally {
      await new Promise<void>((r) => tls.close(() => r()));
    }
  });

  it('enforces the request budget and refuses paths aimed at another host', async () => {
    const capped = defineLoad({
      name: 'capped',
      description: 'capped',
      service: 'svc',
      executor: arrival(200, '1s'),
      requests: [{ weight: 1, method: 'GET', path: '/items' }],
    });
    const r = await runSlice(capped, spec(capped, { maxRequests: 25 }));
    expect(r.iterations).toBe(25);
    expect(r.stoppedBy).toMatch(/safety limit of 25 requests/);

    // One counter for the run: two slices (threads, blocks) share the cap instead of each having it.
    const budget = new Int32Array(new SharedArrayBuffer(4));
    const shared = await Promise.all(
      [0, 1].map((index) =>
        runSlice(capped, spec(capped, { maxRequests: 30, budget, slice: { index, count: 2 } })),
      ),
    );
    expect(shared[0]!.iterations + shared[1]!.iterations).toBe(30);

    const before = requests;
    const foreign = defineLoad({
      name: 'foreign',
      description: 'foreign',
      service: 'svc',
      executor: arrival(10, '200ms'),
      requests: [{ weight: 1, method: 'GET', path: 'http://198.51.100.7/steal', endpoint: 'GET /steal' }],
    });
    await expect(runSlice(foreign, spec(foreign))).rejects.toThrow(
      /refusing to send load to http:\/\/198\.51\.100\.7/,
    );
    expect(requests).toBe(before);
  });
});
