// Bodies that are not UTF-8 are never read as text with U+FFFD standing in for their bytes: `caf\xe9`
// and `caf\xe8` are different answers. Parity compares such bodies byte for byte and names the byte
// offset where they stop decoding; a health payload, an integration step's body and a load check's body
// that break a declared UTF-8 content type fail with that reason.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareResponses, type ParityResponse, type ParityRules } from '../../src/core/parity/compare.js';
import { decodeUtf8, describeInvalidUtf8, invalidUtf8At, showBytes } from '../../src/core/utf8.js';
import { TokenBroker } from '../../src/runners/auth/oidc.js';
import { Redactor } from '../../src/runners/auth/redact.js';
import { declaresUtf8 } from '../../src/runners/http/text.js';
import { checkResponse, runChecks } from '../../src/runners/load/scenario-checks.js';
import { defineScenario } from '../../src/suites/integration/define.js';
import { checkFor } from '../../src/suites/integration/evidence.js';
import { type PassContext, runPass } from '../../src/suites/integration/pass.js';
import { judgeHealth } from '../../src/suites/smoke/evidence.js';
import { runSmoke } from '../../src/suites/smoke/run.js';

const latin1 = (s: string) => Buffer.from(s, 'latin1');

describe('UTF-8, strictly', () => {
  it('finds the offset where bytes stop being UTF-8, as the WHATWG decoder judges them', () => {
    expect(invalidUtf8At(latin1('caf\xe9'))).toBe(3);
    expect(invalidUtf8At(Buffer.from('café ✓ 𝄞'))).toBe(-1);
    // Overlong forms, UTF-16 surrogates, above U+10FFFF, a truncated sequence.
    for (const bad of [
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0x61, 0xe2, 0x82],
    ]) {
      expect(invalidUtf8At(Uint8Array.from(bad)), String(bad)).toBe(bad[0] === 0x61 ? 1 : 0);
    }
    const strict = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        const at = invalidUtf8At(bytes);
        let valid = true;
        try {
          strict.decode(bytes);
        } catch {
          valid = false;
        }
        expect(at === -1).toBe(valid);
        // Everything before the offset decodes; the bytes from it do not start a sequence that does.
        if (at >= 0) expect(() => strict.decode(bytes.subarray(0, at))).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes text, and gives the offset instead of U+FFFD', () => {
    expect(decodeUtf8(Buffer.from('café'))).toEqual({ ok: true, text: 'café' });
    expect(decodeUtf8(latin1('caf\xe9'))).toEqual({ ok: false, invalidAt: 3 });
    // A byte order mark is kept, as Buffer#toString keeps it.
    expect(decodeUtf8(Buffer.from('\ufeff{}'))).toEqual({ ok: true, text: '\ufeff{}' });
  });

  it('shows bytes losslessly: two different byte strings never read the same', () => {
    expect(showBytes(latin1('caf\xe9'))).toBe('caf\\xE9');
    expect(showBytes(Buffer.from('caf\\xE9'))).toBe('caf\\\\xE9');
    expect(describeInvalidUtf8(latin1('caf\xe9'), 3)).toBe('invalid UTF-8 at byte offset 3 of 4: caf\\xE9');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), fc.uint8Array({ maxLength: 12 }), (a, b) => {
        if (Buffer.compare(a, b) !== 0) expect(showBytes(a)).not.toBe(showBytes(b));
      }),
      { numRuns: 3000 },
    );
  });

  it('knows which content types declare UTF-8', () => {
    for (const yes of [
      'application/json',
      'application/problem+json',
      'text/plain; charset=utf-8',
      'text/html; charset="UTF-8"',
      'application/json; charset=utf-8',
    ])
      expect(declaresUtf8(yes), yes).toBe(true);
    for (const no of [undefined, 'text/plain', 'application/octet-stream', 'text/plain; charset=iso-8859-1'])
      expect(declaresUtf8(no), String(no)).toBe(false);
  });
});

const rules: ParityRules = { ignore: [], headers: ['content-type'], normalisers: [] };
const text = (body: Buffer): ParityResponse => {
  const decoded = decodeUtf8(body);
  return {
    status: 200,
    headers: { 'content-type': 'text/plain' },
    body: decoded.ok ? decoded.text : body.toString('utf8'),
    ...(decoded.ok ? {} : { bytes: body }),
  };
};
const compare = (baseline: Buffer, target: Buffer, repeat = baseline) =>
  compareResponses({
    baseline: { response: text(baseline), substitutions: [] },
    repeats: [{ response: text(repeat), substitutions: [] }],
    target: { response: text(target), substitutions: [] },
    rules,
  });

describe('parity of bodies that are not UTF-8', () => {
  it('caf\\xe9 against caf\\xe8 is a difference that names invalid UTF-8 and the byte offset', () => {
    expect(compare(latin1('caf\xe9'), latin1('caf\xe8'))).toEqual({
      equal: false,
      differences: [
        {
          path: '$',
          kind: 'value',
          baseline: 'invalid UTF-8 at byte offset 3 of 4: caf\\xE9',
          target: 'invalid UTF-8 at byte offset 3 of 4: caf\\xE8',
        },
      ],
      noise: [],
      learned: [],
    });
  });

  it('the same bytes on both sides are equal; text against bytes is a difference of type', () => {
    expect(compare(latin1('caf\xe9'), latin1('caf\xe9')).equal).toBe(true);
    expect(compare(Buffer.from('caf\ufffd'), latin1('caf\xe9')).differences).toEqual([
      {
        path: '$',
        kind: 'type',
        baseline: 'caf\ufffd',
        target: 'invalid UTF-8 at byte offset 3 of 4: caf\\xE9',
      },
    ]);
  });

  it('shows both bodies around the first byte that differs, however far in', () => {
    const long = (last: string) => latin1(`${'a'.repeat(500)}\xff${'b'.repeat(500)}${last}`);
    const [d] = compare(long('x'), long('y')).differences;
    expect(d).toMatchObject({ path: '$', kind: 'value' });
    expect(d!.baseline).toMatch(/^invalid UTF-8 at byte offset 500 of 1002: bytes 961–1002: …b+x$/);
    expect(d!.target).toMatch(/b+y$/);
  });

  it('a body whose bytes differ between the two baseline answers is noise, as a text body is', () => {
    const out = compare(latin1('id 1 \xe9'), latin1('id 3 \xe9'), latin1('id 2 \xe9'));
    expect(out).toMatchObject({ equal: true, noise: ['$'] });
  });
});

describe('a health payload that is not UTF-8', () => {
  const spec = { path: '/health', status: 200 };
  it('fails when its content type declares UTF-8, with the byte offset', () => {
    const judged = judgeHealth(
      { ...spec, json: { name: 'café' } },
      latin1('{"name":"caf\xe9"}'),
      'application/json; charset=utf-8',
    );
    expect(judged).toEqual({
      healthy: false,
      reason:
        'health payload is not valid UTF-8 at byte offset 12 ({"name":"caf\\xE9"}), though its content type "application/json; charset=utf-8" says UTF-8',
    });
    expect(
      judgeHealth({ ...spec, contains: 'OK' }, latin1('OK \xff'), 'text/plain; charset=utf-8').healthy,
    ).toBe(false);
    expect(judgeHealth(spec, latin1('\xff'), 'text/plain;charset=UTF-8').healthy).toBe(false);
  });

  it('is never JSON, whatever its type; text rules read it as before when no type declares UTF-8', () => {
    expect(judgeHealth({ ...spec, json: { ok: true } }, latin1('{"ok":true,"x":"\xe9"}')).reason).toMatch(
      /^health payload is not JSON: it is not valid UTF-8 at byte offset 16/,
    );
    expect(judgeHealth({ ...spec, contains: 'OK' }, latin1('OK \xff'), 'text/plain')).toEqual({
      healthy: true,
      reason: 'payload contains "OK"',
    });
  });
});

describe('clients of a server answering bytes that are not UTF-8', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const answers: Record<string, [string, Buffer]> = {
        '/json': ['application/json; charset=utf-8', latin1('{"name":"caf\xe9"}')],
        '/text': ['text/plain', latin1('caf\xe9')],
      };
      const [type, body] = answers[req.url ?? ''] ?? ['text/plain', Buffer.from('café')];
      res.writeHead(200, { 'content-type': type }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('smoke: the health check fails naming invalid UTF-8 and the offset', async () => {
    const checks = await runSmoke(
      [
        {
          environment: 'target',
          service: 'api',
          url: base,
          health: { path: '/json', status: 200, contentType: 'application/json', json: { name: 'café' } },
          pins: {},
        },
      ],
      { probes: 1, timeoutMs: 2000, concurrency: 1, maxBodyBytes: 1024, certMinDays: 14 },
    );
    expect(checks.find((c) => c.check === 'health')).toMatchObject({
      status: 'fail',
      reason: expect.stringMatching(/^health payload is not valid UTF-8 at byte offset 12 /),
    });
  });

  it('integration: a declared UTF-8 body fails the step; another is kept as bytes and said so', async () => {
    const redactor = new Redactor();
    const ctx: PassContext = {
      environment: 'target',
      services: { api: base },
      runId: 'r1',
      env: {},
      redactor,
      tokens: new TokenBroker({}, {}, {}, redactor, () => 0, 1000),
      http: { maxBodyBytes: 1024, maxRedirects: 0, pins: {}, insecure: false, allowedOrigins: new Set() },
      timeoutMs: 2000,
      retries: 0,
      sleep: async () => {},
    };
    const scenario = defineScenario({
      name: 'bytes',
      service: 'api',
      steps: [
        { name: 'json', request: { method: 'GET', path: '/json' } },
        { name: 'text', request: { method: 'GET', path: '/text' }, expect: { body: 'text' } },
      ],
    });
    const pass = await runPass(scenario, ctx);
    const [json, textStep] = pass.runs.map((r) => checkFor(scenario, r, 'target', 'now'));
    expect(json).toMatchObject({
      status: 'fail',
      reason: expect.stringMatching(
        /^GET \/json: malformed JSON body: the body is not valid UTF-8 at byte offset 12 \(\{"name":"caf\\xE9"\}\), though its content type/,
      ),
    });
    expect(textStep).toMatchObject({
      status: 'pass',
      reason: expect.stringMatching(
        /as expected; the body is not valid UTF-8 at byte offset 3 \(caf\\xE9\); compared as bytes$/,
      ),
    });
    expect(pass.runs[1]!.response!.bytes).toEqual(latin1('caf\xe9'));
  });
});

describe('load checks of a body that is not UTF-8', () => {
  const checks = {
    'status 200': (r: { status: number }) => r.status === 200,
    'says café': (r: { body: string }) => r.body.includes('caf'),
    'parsed as JSON': (r: { json(): unknown }) => r.json() !== undefined,
  };
  const run = (body: Buffer, type: string) => {
    const seen: Record<string, boolean> = {};
    runChecks(
      checks,
      checkResponse({ status: 200, keepAlive: true, body, headers: { 'content-type': type } }),
      {
        check: (name, ok) => (seen[name] = ok),
      },
    );
    return seen;
  };

  it('fails the checks that read it when its content type declares UTF-8, and not the others', () => {
    expect(run(latin1('{"name":"caf\xe9"}'), 'application/json')).toEqual({
      'status 200': true,
      'says café': false,
      'parsed as JSON': false,
    });
  });

  it('reads it as text with U+FFFD otherwise, as k6 does, but never as JSON', () => {
    expect(run(latin1('{"name":"caf\xe9"}'), 'application/octet-stream')).toEqual({
      'status 200': true,
      'says café': true,
      'parsed as JSON': false,
    });
    const r = checkResponse({ status: 200, keepAlive: true, body: latin1('{"a":"\xe9"}'), headers: {} });
    expect(r.json()).toBeUndefined();
  });
});
