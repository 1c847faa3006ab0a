import { describe, expect, it } from 'vitest';
import { compareResponses, type ParityResponse, type ParityRules } from '../../src/core/parity/compare.js';
import { diffJson } from '../../src/core/parity/diff.js';
import { compileNormalisers } from '../../src/core/parity/normalise.js';
import { coveredBy, formatPath, type PathPattern, parsePattern } from '../../src/core/parity/path.js';

const pattern = (s: string) => parsePattern(s) as PathPattern;
const kinds = (a: unknown, b: unknown) => diffJson(a, b).map((d) => `${formatPath(d.path)} ${d.kind}`);

describe('diffJson', () => {
  it('names each difference by path and kind', () => {
    expect(kinds({ a: 1, b: 'x', c: true }, { a: 2, b: 3, d: null })).toEqual([
      'a value',
      'b type',
      'c missing',
      'd extra',
    ]);
    expect(kinds({ r: { originCountry: 'NL' } }, { r: { originCountry: 'DE' } })).toEqual([
      'r.originCountry value',
    ]);
    expect(kinds({ 'x y': [1] }, { 'x y': [2] })).toEqual(['["x y"][0] value']);
    expect(kinds([1], { 0: 1 })).toEqual(['$ type']);
  });

  it('tells order from content and aligns arrays of another length', () => {
    expect(kinds([1, 2, 3], [3, 1, 2])).toEqual(['$ order']);
    expect(kinds([{ id: 1 }, { id: 2 }], [{ id: 1 }, { id: 3 }])).toEqual(['[1].id value']);
    expect(kinds({ items: ['a', 'b', 'c'] }, { items: ['b', 'c'] })).toEqual([
      'items length',
      'items[0] missing',
    ]);
    expect(kinds({ items: ['a'] }, { items: ['a', 'a'] })).toEqual(['items length', 'items[1] extra']);
    expect(kinds({ a: [1, { b: [true] }] }, { a: [1, { b: [true] }] })).toEqual([]);
  });
});

describe('path patterns', () => {
  it('match keys, indexes, wildcards and any depth', () => {
    expect(coveredBy(pattern('items[*].createdAt'), ['items', 3, 'createdAt'])).toBe(true);
    expect(coveredBy(pattern('items[*].createdAt'), ['items', 3, 'id'])).toBe(false);
    expect(coveredBy(pattern('**.requestId'), ['a', 0, 'requestId'])).toBe(true);
    expect(coveredBy(pattern('**.requestId'), ['requestId'])).toBe(true);
    expect(coveredBy(pattern('result'), ['result', 'originCountry'])).toBe(true);
    expect(coveredBy(pattern('["x-wp"]'), ['x-wp'])).toBe(true);
    expect(typeof parsePattern('a..b[')).toBe('string');
  });
});

const rules = (over: Partial<ParityRules> = {}): ParityRules => ({
  ignore: [],
  headers: ['content-type'],
  normalisers: [],
  ...over,
});
const res = (body: unknown, status = 200, headers: Record<string, string> = {}): ParityResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body,
});
const side = (body: unknown, status = 200, substitutions: { value: string; placeholder: string }[] = []) => ({
  response: res(body, status),
  substitutions,
});

describe('compareResponses (noise from asking the baseline twice)', () => {
  const uuidA = '0b5c6a3e-1f2d-4c3b-9a8e-7d6c5b4a3f21';
  const uuidB = 'a9c8e7d6-5b4a-4c3b-8a1f-0e9d8c7b6a52';
  const uuidT = '11111111-2222-4333-8444-555555555555';

  it('ignores what changes between two baseline answers, and still reports real drift', () => {
    const out = compareResponses({
      baseline: side({ requestId: uuidA, at: '2026-01-01T00:00:00Z', result: { originCountry: 'NL' } }),
      repeat: side({ requestId: uuidB, at: '2026-01-01T00:00:01Z', result: { originCountry: 'NL' } }),
      target: side({ requestId: uuidT, at: '2026-01-01T00:00:02Z', result: { originCountry: 'DE' } }),
      rules: rules(),
    });
    expect(out.equal).toBe(false);
    expect(out.differences).toEqual([
      { path: 'result.originCountry', kind: 'value', baseline: 'NL', target: 'DE' },
    ]);
    expect(out.noise.sort()).toEqual(['at', 'requestId']);
  });

  it("takes the servers' clock readings as noise when the baseline's two answers fell in one second", () => {
    // OpenBao's health: both baseline answers at second …510, the target's a second earlier.
    const now = Date.parse('2026-11-28T12:55:10.200Z');
    const clock = { fromMs: now - 300, toMs: now + 400 };
    const at = (s: number, iso: string, stored: number) => ({
      server_time_utc: s,
      generatedAt: iso,
      ms: s * 1000 + 7,
      sealedSince: stored,
    });
    const cmp = (target: unknown, window = clock) =>
      compareResponses({
        baseline: side(at(1795870510, '2026-11-28T12:55:10Z', 1795000000)),
        repeat: side(at(1795870510, '2026-11-28T12:55:10Z', 1795000000)),
        target: side(target),
        rules: rules(),
        clock: window,
      });
    const near = cmp(at(1795870509, '2026-11-28T12:55:09Z', 1795000000));
    expect(near.equal).toBe(true);
    expect(near.noise.sort()).toEqual(['generatedAt', 'ms', 'server_time_utc']);
    // A stored time is not a clock reading: its drift is reported, as is a clock hours off or not a date.
    const stored = cmp(at(1795870509, '2026-11-28T12:55:09Z', 1795000001));
    expect(stored.differences.map((d) => d.path)).toEqual(['sealedSince']);
    const off = cmp(at(1795870509 - 7200, '2026-11-28T10:55:09Z', 1795000000));
    expect(off.differences.map((d) => d.path).sort()).toEqual(['generatedAt', 'ms', 'server_time_utc']);
    const text = cmp({ ...at(1795870509, 'yesterday', 1795000000) });
    expect(text.differences.map((d) => d.path)).toEqual(['generatedAt']);
    // Without the window of the answers nothing is taken for the clock.
    const blind = compareResponses({
      baseline: side(at(1795870510, '2026-11-28T12:55:10Z', 1795000000)),
      target: side(at(1795870509, '2026-11-28T12:55:09Z', 1795000000)),
      rules: rules(),
    });
    expect(blind.differences).toHaveLength(3);
  });

  it('judges a noisy value by its format, and never hides a type or missing drift', () => {
    const base = (id: string) => ({ requestId: id, n: 1 });
    const cmp = (target: unknown) =>
      compareResponses({
        baseline: side(base(uuidA)),
        repeat: side(base(uuidB)),
        target: side(target),
        rules: rules(),
      }).differences.map((d) => `${d.path} ${d.kind}`);
    expect(cmp(base(uuidT))).toEqual([]);
    expect(cmp({ requestId: `${uuidT}-drift`, n: 1 })).toEqual(['requestId value']);
    expect(cmp({ requestId: 42, n: 1 })).toEqual(['requestId type']);
    expect(cmp({ n: 1 })).toEqual(['requestId missing']);
  });

  it('applies ignore rules, normalisers and per-environment substitutions', () => {
    const { normalisers } = compileNormalisers([
      { kind: 'unordered', paths: ['tags'] },
      { kind: 'timestamps' },
    ]);
    const out = compareResponses({
      baseline: side(
        { self: 'http://127.0.0.1:1/x/A1', tags: ['a', 'b'], at: '2026-01-01T00:00:00Z', skip: 1 },
        200,
        [
          { value: 'http://127.0.0.1:1', placeholder: '{base}' },
          { value: 'A1', placeholder: '{{id}}' },
        ],
      ),
      target: side(
        { self: 'http://k8s.test:2/x/T9', tags: ['b', 'a'], at: '2027-05-05T05:05:05Z', skip: 2 },
        200,
        [
          { value: 'http://k8s.test:2', placeholder: '{base}' },
          { value: 'T9', placeholder: '{{id}}' },
        ],
      ),
      rules: rules({ ignore: [pattern('skip')], normalisers }),
    });
    expect(out).toEqual({ equal: true, differences: [], noise: [] });
  });

  it('compares status and chosen headers', () => {
    const out = compareResponses({
      baseline: { response: res({}, 200, { 'x-total': '3' }), substitutions: [] },
      target: { response: res({}, 500, { 'x-total': '4', 'content-type': 'text/html' }), substitutions: [] },
      rules: rules({ headers: ['content-type', 'x-total'] }),
    });
    expect(out.differences.map((d) => `${d.path} ${d.kind}`)).toEqual([
      '@status status',
      '@headers.content-type header',
      '@headers.x-total header',
    ]);
  });
});

describe('compareResponses with every header', () => {
  it('compares all headers but transport ones and those ignored; noisy ones by format', () => {
    const r = (h: Record<string, string>) => ({ response: res({}, 200, h), substitutions: [] });
    const out = compareResponses({
      baseline: r({ date: 'Mon', 'x-request-id': 'a', etag: '"1"', 'x-version': '2' }),
      repeat: r({ date: 'Tue', 'x-request-id': 'b', etag: '"2"', 'x-version': '2' }),
      // Compressed on the target only (a proxy's compress middleware): its body is compared decoded.
      target: r({
        date: 'Wed',
        'x-request-id': 'c',
        etag: '"3"',
        'x-version': '3',
        'x-new': 'y',
        'content-encoding': 'gzip',
      }),
      rules: rules({ headers: ['*'], ignoreHeaders: ['x-request-id'] }),
    });
    expect(out.differences.map((d) => `${d.path} ${d.kind}`)).toEqual([
      '@headers.x-version header',
      '@headers.x-new extra',
    ]);
    expect(out.noise).toEqual(['@headers.etag']);
  });
});
