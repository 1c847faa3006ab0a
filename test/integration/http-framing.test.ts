// An answer that breaks HTTP/1.1 framing — a DELETE answered `204` with `Content-Length: 2` and `{}` —
// is judged once, the same way, by every client of the project: the smoke probe and the integration
// request (node:http) and the load engine's wire client. The answer is kept, the connection closed, and
// the server's fault named in words; whether the two bytes arrive in the same TCP write as the head or
// in a later one must make no difference, which each test shows over many exchanges of both kinds.
import type { Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { toProfile } from '../../src/core/load/profile.js';
import { compareResponses, type ParityResponse } from '../../src/core/parity/compare.js';
import { announcedBody, bytesAfter } from '../../src/runners/http/framing.js';
import { probe } from '../../src/runners/http/probe.js';
import { sendApiRequest } from '../../src/runners/http/request.js';
import { runSlice } from '../../src/runners/load/executor.js';
import { mergeSlices } from '../../src/runners/load/recorder.js';
import { WirePool } from '../../src/runners/load/wire/pool.js';
import { serialiseRequest } from '../../src/runners/load/wire/request-bytes.js';
import { ResponseParser } from '../../src/runners/load/wire/response-parser.js';
import { defineLoad } from '../../src/suites/performance/define.js';
import { framingText, summaryLine } from '../../src/suites/performance/evidence.js';
import { runSmoke } from '../../src/suites/smoke/run.js';
import { type RawServer, rawServer, readRequests, sleep } from '../helpers/wire.js';

const ROUNDS = 50;
const HEAD_204 = 'HTTP/1.1 204 No Content\r\nContent-Length: 2\r\n\r\n';
const ANNOUNCED =
  'the server announced 2 bytes (Content-Length: 2) after a 204 response, which has no body; they are not part of the answer, and the connection was closed';

type Mode = 'same write' | 'later write';
const MODES: Mode[] = ['same write', 'later write'];

const servers: RawServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

/**
 * A server that answers every request on a connection with `head` and then `extra`: in the same write,
 * or in a second write 5 ms later (the client has usually read the head by then).
 */
async function faultyServer(head: string, extra: string, mode: Mode): Promise<RawServer> {
  const s = await rawServer((socket: Socket) =>
    readRequests(socket, () => {
      if (mode === 'same write') socket.write(head + extra);
      else {
        socket.write(head);
        setTimeout(() => socket.writable && socket.write(extra), 5);
      }
    }),
  );
  servers.push(s);
  return s;
}

const apiOptions = {
  timeoutMs: 2000,
  maxBodyBytes: 1024 * 1024,
  maxRedirects: 0,
  pins: {},
  insecure: false,
  allowedOrigins: new Set<string>(),
};

describe('the decision, in words', () => {
  it('names a 204 that announces a body, and nothing for the HEAD answers and 304s that may', () => {
    expect(announcedBody(204, '2', undefined)?.message).toBe(ANNOUNCED);
    expect(announcedBody(204, 2, undefined)).toEqual({ message: ANNOUNCED, fromHead: true });
    expect(announcedBody(204, undefined, 'chunked')?.message).toMatch(
      /^the server announced a body \(Transfer-Encoding: chunked\) after a 204 response, which has no body/,
    );
    for (const none of [undefined, -1, 0, '0', ''])
      expect(announcedBody(204, none, undefined)).toBeUndefined();
    expect(announcedBody(304, '120', undefined)).toBeUndefined();
    expect(announcedBody(200, '2', undefined)).toBeUndefined();
  });

  it('says what followed what, for body-less answers and for answers with a body', () => {
    expect(bytesAfter('DELETE', 204).message).toBe(
      'the server sent bytes after a 204 response, which has no body; they are not part of the answer, and the connection was closed',
    );
    expect(bytesAfter('HEAD', 200).message).toMatch(
      /^the server sent bytes after its 200 answer to HEAD, which has no body/,
    );
    expect(bytesAfter('GET', 200)).toEqual({
      message:
        'the server sent bytes after the end of a 200 response; they are not part of the answer, and the connection was closed',
      fromHead: false,
    });
  });
});

describe('node:http clients (smoke probe, integration request)', () => {
  const clients = {
    probe: async (origin: string) => {
      const r = await probe(`${origin}/items/1`, { method: 'DELETE', timeoutMs: 2000, maxBodyBytes: 1024 });
      return r.ok
        ? { ok: true, status: r.status, body: r.body.toString(), framing: r.framing }
        : { ok: false, error: r.error.message };
    },
    'integration request': async (origin: string) => {
      const r = await sendApiRequest({ method: 'DELETE', url: `${origin}/items/1`, headers: {} }, apiOptions);
      return r.ok
        ? { ok: true, status: r.status, body: r.body.toString(), framing: r.framing }
        : { ok: false, error: r.error.message };
    },
  };

  for (const [name, send] of Object.entries(clients)) {
    for (const mode of MODES) {
      it(`${name}: keeps a 204 with Content-Length: 2 and {} and names the fault, ${ROUNDS} times, ${mode}`, async () => {
        const s = await faultyServer(HEAD_204, '{}', mode);
        const outcomes = new Map<string, number>();
        for (let i = 0; i < ROUNDS; i++) {
          const key = JSON.stringify(await send(s.origin));
          outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        }
        expect([...outcomes]).toEqual([
          [
            JSON.stringify({
              ok: true,
              status: 204,
              body: '',
              framing: { message: ANNOUNCED, fromHead: true },
            }),
            ROUNDS,
          ],
        ]);
        // Closed by the client, every time: nothing after the answer is read as another one.
        await s.closedCount(ROUNDS);
      });
    }

    it(`${name}: keeps a 204 followed by bytes its head did not announce, and names them when seen`, async () => {
      const same = await faultyServer('HTTP/1.1 204 No Content\r\n\r\n', '{}', 'same write');
      for (let i = 0; i < 10; i++) {
        expect(await send(same.origin)).toEqual({
          ok: true,
          status: 204,
          body: '',
          framing: bytesAfter('DELETE', 204),
        });
      }
      // Bytes that come after the answer was read cannot be seen; the answer is kept all the same.
      const later = await faultyServer('HTTP/1.1 204 No Content\r\n\r\n', '{}', 'later write');
      for (let i = 0; i < 10; i++) expect(await send(later.origin)).toMatchObject({ ok: true, status: 204 });
    });

    it(`${name}: keeps a body followed by stray bytes, with the whole body`, async () => {
      const s = await faultyServer('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', 'stray', 'same write');
      for (let i = 0; i < 10; i++) {
        expect(await send(s.origin)).toEqual({
          ok: true,
          status: 200,
          body: 'ok',
          framing: bytesAfter('DELETE', 200),
        });
      }
    });

    it(`${name}: says what a server did wrong when its answer is not HTTP, not a parser code alone`, async () => {
      const s = await faultyServer('{"not":"http"}\r\n\r\n', '', 'same write');
      const r = await send(s.origin);
      expect(r).toMatchObject({
        ok: false,
        error: expect.stringMatching(
          /^malformed HTTP response from 127\.0\.0\.1:\d+: the server sent bytes that are not an HTTP\/1\.x response where a response should start \(Node's HTTP parser: .*HPE_INVALID_CONSTANT\)$/,
        ),
      });
    });
  }
});

describe('the load engine wire client', () => {
  function deletes(origin: string, n: number) {
    const pool = new WirePool(origin, { pins: {}, connections: 1, timeoutMs: 2000 });
    const send = {
      bytes: serialiseRequest({ method: 'DELETE', path: '/items/1', host: 'svc.test', headers: {} }),
      method: 'DELETE',
      wantHeaders: false,
      wantBody: false,
    };
    // One after another, as a VU sends: each next request goes out the moment the answer is read.
    return new Promise<string[]>((resolve) => {
      const seen: string[] = [];
      const next = () => {
        if (seen.length === n) {
          pool.destroy();
          resolve(seen);
          return;
        }
        pool.request(send, (failure, r) => {
          seen.push(
            failure ? `failed: ${failure.message}` : `${r!.status} ${r!.framing?.message ?? 'clean'}`,
          );
          next();
        });
      };
      next();
    });
  }

  for (const mode of MODES) {
    it(`answers every DELETE 204 and never reuses the connection, ${ROUNDS} times, ${mode}`, async () => {
      const s = await faultyServer(HEAD_204, '{}', mode);
      expect(await deletes(s.origin, ROUNDS)).toEqual(Array(ROUNDS).fill(`204 ${ANNOUNCED}`));
      expect(s.accepted).toBe(ROUNDS);
    });
  }

  it('load run: every DELETE answered, none failed, the answers counted and the fault said', async () => {
    const s = await faultyServer(HEAD_204, '{}', 'later write');
    const scenario = defineLoad({
      name: 'deletes',
      description: 'deletes',
      service: 'items-api',
      executor: { executor: 'constant-vus', vus: 2, duration: '400ms', gracefulStop: '1s' },
      requests: [
        { weight: 1, method: 'DELETE', path: '/items/1', checks: { 'status 204': (r) => r.status === 204 } },
      ],
    });
    const r = await runSlice(scenario, {
      scenario: 'deletes',
      environment: 'target',
      baseUrl: s.origin,
      pins: {},
      timeoutMs: 2000,
      profile: toProfile(scenario.executor),
      slice: { index: 0, count: 1 },
      maxRequests: 100_000,
      env: {},
    });
    const answered = r.failed['DELETE /items/1']!.ok;
    expect(answered).toBeGreaterThan(10);
    expect(r.failed['DELETE /items/1']!.failed).toBe(0);
    expect(r.checks['status 204']).toEqual({ passes: answered, fails: 0 });
    expect(r.framing).toEqual({ count: answered, samples: [`DELETE /items/1: ${ANNOUNCED}`] });
    expect(summaryLine(scenario, r)).toContain(
      `; ${answered} answers kept although the server broke HTTP framing (DELETE /items/1: ${ANNOUNCED})`,
    );
    expect(mergeSlices([r, r]).framing).toEqual({ count: 2 * answered, samples: r.framing!.samples });
    expect(framingText({ ...r, framing: undefined } as typeof r)).toBe('');
  });

  it('keeps the connection after a 304 or a HEAD answer with Content-Length, which may carry it', () => {
    const seen: { status: number; keepAlive: boolean; framing?: unknown }[] = [];
    const parser = new ResponseParser((r) => seen.push(r));
    for (const [method, head] of [
      ['GET', 'HTTP/1.1 304 Not Modified\r\nContent-Length: 120\r\n\r\n'],
      ['HEAD', 'HTTP/1.1 200 OK\r\nContent-Length: 120\r\n\r\n'],
    ] as const) {
      parser.begin(method, false, false);
      parser.feed(Buffer.from(head), 0, head.length);
    }
    expect(seen).toEqual([
      { status: 304, keepAlive: true },
      { status: 200, keepAlive: true },
    ]);
  });

  it('names bytes after a body-less answer that arrived in the same read', () => {
    const seen: unknown[] = [];
    const parser = new ResponseParser((r) => seen.push(r));
    parser.begin('DELETE', false, false);
    const bytes = Buffer.from('HTTP/1.1 204 No Content\r\n\r\n{}');
    parser.feed(bytes, 0, bytes.length);
    expect(seen).toEqual([{ status: 204, keepAlive: false, framing: bytesAfter('DELETE', 204) }]);
  });
});

describe('what the fault means for a run', () => {
  const answer = (framing?: string): ParityResponse => ({
    status: 204,
    headers: {},
    body: undefined,
    ...(framing ? { framing } : {}),
  });
  const compare = (baseline?: string, target?: string) =>
    compareResponses({
      baseline: { response: answer(baseline), substitutions: [] },
      repeats: [{ response: answer(baseline), substitutions: [] }],
      target: { response: answer(target), substitutions: [] },
      rules: { ignore: [], headers: ['content-type'], normalisers: [] },
    });

  it('parity: the same fault on both sides is equal; a target that starts it is a difference', () => {
    expect(compare(ANNOUNCED, ANNOUNCED)).toEqual({ equal: true, differences: [], noise: [], learned: [] });
    expect(compare(undefined, ANNOUNCED).differences).toEqual([
      { path: '@framing', kind: 'extra', baseline: undefined, target: ANNOUNCED },
    ]);
  });

  it('smoke: a health endpoint that breaks the framing is reachable, with the fault in the reason', async () => {
    const s = await faultyServer(HEAD_204, '{}', 'later write');
    const checks = await runSmoke(
      [
        {
          environment: 'target',
          service: 'api',
          url: s.origin,
          health: { path: '/healthz', status: 204 },
          pins: {},
        },
      ],
      { probes: 2, timeoutMs: 2000, concurrency: 1, maxBodyBytes: 1024, certMinDays: 14 },
    );
    expect(checks.find((c) => c.check === 'reachable')).toMatchObject({
      status: 'pass',
      reason: expect.stringMatching(
        new RegExp(`^answered in [\\d.]+ ms; ${ANNOUNCED.replace(/[()]/g, '\\$&')}$`),
      ),
      data: { framing: ANNOUNCED },
    });
    expect(checks.filter((c) => c.status === 'fail')).toEqual([]);
  });
});

// The pool must be idle before the next test's server goes away.
afterAll(() => sleep(20));
