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
      repeats: [side({ requestId: uuidB, at: '2026-01-01T00:00:01Z', result: { originCountry: 'NL' } })],
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
        repeats: [side(at(1795870510, '2026-11-28T12:55:10Z', 1795000000))],
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
        repeats: [side(base(uuidB))],
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
    expect(out).toEqual({ equal: true, differences: [], noise: [], learned: [] });
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
      repeats: [r({ date: 'Tue', 'x-request-id': 'b', etag: '"2"', 'x-version': '2' })],
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

/** A Prometheus 2.42 `/api/v1/targets` answer: the targets in the order given, with this read's values. */
function targets(
  order: readonly number[],
  read: { lastScrape: string; duration: (i: number) => number; timeout?: (i: number) => string },
) {
  return {
    status: 'success',
    data: {
      activeTargets: order.map((i) => ({
        discoveredLabels: { __address__: `node${i}:9100`, job: 'node' },
        labels: { instance: `node${i}:9100`, job: 'node' },
        scrapePool: 'node',
        scrapeUrl: `http://node${i}:9100/metrics`,
        globalUrl: `http://node${i}.example:9100/metrics`,
        lastError: '',
        lastScrape: read.lastScrape,
        lastScrapeDuration: read.duration(i),
        health: 'up',
        scrapeInterval: '15s',
        scrapeTimeout: read.timeout?.(i) ?? '5s',
      })),
      droppedTargets: [],
    },
  };
}

describe('arrays whose order is noisy (Prometheus /api/v1/targets)', () => {
  const a = targets([0, 1, 2, 3], { lastScrape: '2026-01-01T00:00:00.1Z', duration: (i) => (10 + i) / 1000 });
  const b = targets([2, 0, 3, 1], { lastScrape: '2026-01-01T00:00:00.3Z', duration: (i) => (20 + i) / 1000 });

  it('pairs elements by their identity, so a field is compared with the same element on the other side', () => {
    // Another order and fresh values: the order, and each target's lastScrape and duration, at the baseline's index.
    expect(kinds(a, b).sort()).toEqual([
      'data.activeTargets order',
      ...[0, 1, 2, 3].flatMap((i) => [
        `data.activeTargets[${i}].lastScrape value`,
        `data.activeTargets[${i}].lastScrapeDuration value`,
      ]),
    ]);
    const pairs = diffJson(a, b).filter((d) => d.path.at(-1) === 'lastScrapeDuration');
    expect(pairs.map((d) => [d.path[2], d.baseline, d.target])).toEqual([
      [0, 0.01, 0.02],
      [1, 0.011, 0.021],
      [2, 0.012, 0.022],
      [3, 0.013, 0.023],
    ]);
  });

  it('reports a difference inside an array whose order alone is noise, on every shuffle', () => {
    const timeout = (i: number) => (i === 2 ? '4s' : '5s');
    for (const order of [
      [3, 1, 0, 2],
      [0, 1, 2, 3],
      [1, 3, 2, 0],
    ]) {
      const t = targets(order, {
        lastScrape: '2026-01-01T00:00:00.2Z',
        duration: (i) => (30 + i) / 1000,
        timeout,
      });
      const out = compareResponses({
        baseline: side(a),
        repeats: [side(b)],
        target: side(t),
        rules: rules(),
      });
      expect(out.differences).toEqual([
        { path: 'data.activeTargets[2].scrapeTimeout', kind: 'value', baseline: '5s', target: '4s' },
      ]);
      expect(out.noise).toEqual(
        expect.arrayContaining(['data.activeTargets', 'data.activeTargets[*].lastScrapeDuration']),
      );
    }
  });

  it('learns the noise of a list whose length changes leaf by leaf: a lost element is still reported', () => {
    const item = (id: string, at: string) => ({ id, state: 'ok', at });
    const base = { items: [item('x', '1'), item('y', '1'), item('z', '1')] };
    const again = { items: [item('y', '2'), item('w', '2'), item('x', '2'), item('z', '2')] };
    const cmp = (target: unknown) =>
      compareResponses({
        baseline: side(base),
        repeats: [side(again)],
        target: side(target),
        rules: rules(),
      }).differences.map((d) => `${d.path} ${d.kind}`);
    // New elements come and go (w), values move (at), the order moves: all noise.
    expect(cmp({ items: [item('z', '3'), item('x', '3'), item('v', '3'), item('y', '3')] })).toEqual([]);
    // But an element the baseline always listed is missing, or one of its fields changed: reported.
    expect(cmp({ items: [item('z', '3'), item('x', '3')] })).toEqual(['items[1] missing']);
    expect(cmp({ items: [item('z', '3'), { ...item('x', '3'), state: 'down' }, item('y', '3')] })).toEqual([
      'items[0].state value',
    ]);
  });

  it('does not take a field that numbers positions for an identity', () => {
    // Each answer numbers its shuffled list afresh: pairing by `rank` would pair positions, learn every
    // field as noise, and hide the changed timeout.
    const list = (urls: string[], timeouts: Record<string, string>) => ({
      list: urls.map((url, rank) => ({ rank, url, timeout: timeouts[url] })),
    });
    const out = compareResponses({
      baseline: side(list(['a', 'b'], { a: '5s', b: '3s' })),
      repeats: [side(list(['b', 'a'], { a: '5s', b: '3s' }))],
      target: side(list(['a', 'b'], { a: '4s', b: '3s' })),
      rules: rules(),
    });
    expect(out.differences.map((d) => `${d.path} ${d.baseline}→${d.target}`)).toEqual([
      'list[0].timeout 5s→4s',
    ]);
  });

  it('pairs by a declared key, and with `unordered` reports no order at all', () => {
    // Content alone would pair each element with its twin of the same state: the key says who is who.
    const x = [
      { name: 'a', state: 'up' },
      { name: 'b', state: 'down' },
    ];
    const y = [
      { name: 'b', state: 'up' },
      { name: 'a', state: 'down' },
    ];
    const { normalisers } = compileNormalisers([{ kind: 'unordered', paths: ['list'], key: 'name' }]);
    const out = compareResponses({
      baseline: side({ list: x }),
      target: side({ list: y }),
      rules: rules({ normalisers }),
    });
    expect(out.differences.map((d) => `${d.path} ${d.baseline}→${d.target}`)).toEqual([
      'list[0].state up→down',
      'list[1].state down→up',
    ]);
    const tags = compareResponses({
      baseline: side({ list: ['a', 'b', 'c'] }),
      target: side({ list: ['c', 'a', 'b'] }),
      rules: rules({ normalisers }),
    });
    expect(tags.equal).toBe(true);
    expect(compileNormalisers([{ kind: 'unordered', key: 'a[*]' }]).problems).toEqual([
      'normalise[0]: key "a[*]" is not a field path',
    ]);
  });

  it('takes what moves once per cycle as noise when a later read saw it move', () => {
    const quick = targets([1, 0, 2, 3], {
      lastScrape: '2026-01-01T00:00:00.1Z',
      duration: (i) => (10 + i) / 1000,
    });
    const later = targets([0, 1, 3, 2], {
      lastScrape: '2026-01-01T00:00:01.1Z',
      duration: (i) => (50 + i) / 1000,
    });
    const target = targets([3, 2, 1, 0], {
      lastScrape: '2026-01-01T00:00:00.6Z',
      duration: (i) => (70 + i) / 1000,
    });
    const cmp = (repeats: unknown[]) =>
      compareResponses({
        baseline: side(a),
        repeats: repeats.map((r) => side(r)),
        target: side(target),
        rules: rules(),
      });
    // Two back-to-back reads in the same cycle agree on every value: each target's duration reads as drift.
    expect(cmp([quick]).differences.map((d) => d.path)).toHaveLength(8);
    expect(cmp([quick, later]).differences).toEqual([]);
  });
});

describe("each side's own address", () => {
  /** A Prometheus answer at `host` (its own address), with targets labelled by these instances. */
  const prometheus = (host: string, instances: string[]) => ({
    response: res({
      self: `http://${host}/api/v1/targets`,
      targets: instances.map((instance) => ({ labels: { instance } })),
    }),
    substitutions: [
      { value: `http://${host}`, placeholder: '{base:prometheus}' },
      { value: host, placeholder: '{host:prometheus}' },
    ],
  });
  // Each server scrapes itself: the label holds the baseline's address there, the target's here.
  const selfScrape = (over: Partial<ParityRules> = {}) =>
    compareResponses({
      baseline: prometheus('127.0.0.1:9090', ['127.0.0.1:9090']),
      target: prometheus('127.0.0.1:9091', ['127.0.0.1:9091']),
      rules: rules(over),
    });

  it('is set aside only where each side holds its own, so a label the same on both sides stays equal', () => {
    // Both servers scrape the baseline's Prometheus (127.0.0.1:9090) and node:9100, listed in another order.
    const out = compareResponses({
      baseline: prometheus('127.0.0.1:9090', ['127.0.0.1:9090', 'node:9100']),
      target: prometheus('127.0.0.1:9091', ['node:9100', '127.0.0.1:9090']),
      rules: rules({
        normalisers: compileNormalisers([{ kind: 'unordered', paths: ['targets'] }]).normalisers,
      }),
    });
    expect(out.differences).toEqual([]);
    // Where the target holds its own address in place of the baseline's, that is the same thing too …
    expect(selfScrape().equal).toBe(true);
    // … unless a path opts out: there values are compared as written.
    expect(selfScrape({ literal: [pattern('targets[*].labels')] }).differences).toEqual([
      {
        path: 'targets[0].labels.instance',
        kind: 'value',
        baseline: '127.0.0.1:9090',
        target: '127.0.0.1:9091',
      },
    ]);
  });
});

describe('noise learned by earlier runs', () => {
  it('judges a value by its format and forgives an order, never a missing field or a status', () => {
    const cmp = (target: unknown, status = 200) =>
      compareResponses({
        baseline: side({ took: 0.012, list: [1, 2], gone: 1 }),
        repeats: [side({ took: 0.012, list: [1, 2], gone: 1 })],
        target: side(target, status),
        rules: rules(),
        learned: ['took', 'list', 'gone', '@status'],
      });
    const ok = cmp({ took: 0.034, list: [2, 1], gone: 1 });
    expect(ok.differences).toEqual([]);
    expect(ok.noise.sort()).toEqual(['list', 'took']);
    expect(ok.learned.sort()).toEqual(['list', 'took']);
    expect(cmp({ took: 'slow', list: [1, 2] }, 500).differences.map((d) => `${d.path} ${d.kind}`)).toEqual([
      '@status status',
      'took type',
      'gone missing',
    ]);
  });
});
