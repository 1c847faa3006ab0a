// The pure reading of monitoring APIs' answers (src/core/monitoring): sample values with their specials,
// PromQL results in three states, the Prometheus envelope and its errors, bucket layouts, Alertmanager's
// webhook payload and matchers, Loki's streams. The bodies are the ones Prometheus 2.42 and Alertmanager
// 0.25 sent in the lab (shared/reference/monitoring.md) and in test/integration/monitoring-prometheus.test.ts.
import { describe, expect, it } from 'vitest';
import {
  equalityMatcher,
  matchersFor,
  webhookPayloadSchema,
} from '../../src/core/monitoring/alertmanager.js';
import { isTimeout } from '../../src/core/monitoring/api-outcome.js';
import { bucketLayouts, compareBucketLayouts } from '../../src/core/monitoring/bucket-layout.js';
import { readEnvelope } from '../../src/core/monitoring/envelope.js';
import { lokiQueryDataSchema, newestEntry } from '../../src/core/monitoring/loki.js';
import { targetsSchema } from '../../src/core/monitoring/prometheus-status.js';
import { queryDataSchema } from '../../src/core/monitoring/query-result.js';
import { describeReading, readEach, readSingle } from '../../src/core/monitoring/reading.js';
import { formatSampleValue, parseSampleValue } from '../../src/core/monitoring/sample-value.js';

const WHAT = 'Prometheus at http://127.0.0.1:9090';
const answer = (status: number, text: string, mediaType = 'application/json') => ({
  status,
  mediaType,
  text,
});
const vector = (...values: string[]) =>
  queryDataSchema.parse({
    resultType: 'vector',
    result: values.map((v, i) => ({ metric: { job: `j${i}` }, value: [1700000000.5, v] })),
  });

describe('sample values', () => {
  it('reads the specials Prometheus writes, which Number() gets wrong', () => {
    expect(Number('+Inf')).toBeNaN(); // the pitfall this module exists for
    expect(parseSampleValue('+Inf')).toBe(Number.POSITIVE_INFINITY);
    expect(parseSampleValue('-Inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(parseSampleValue('Inf')).toBe(Number.POSITIVE_INFINITY);
    expect(parseSampleValue('NaN')).toBeNaN();
    expect(parseSampleValue('1e+00')).toBe(1);
    expect(parseSampleValue('0.25')).toBe(0.25);
    expect(parseSampleValue('-3')).toBe(-3);
  });

  it('refuses what is not a number instead of reading it as NaN', () => {
    for (const text of ['', ' ', 'one', '1,5', 'null', '0x10', '1e', '--1'])
      expect(parseSampleValue(text), text).toBeUndefined();
  });

  it('writes values back the way Prometheus does', () => {
    expect(
      [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, 0.5].map(formatSampleValue),
    ).toEqual(['+Inf', '-Inf', 'NaN', '0.5']);
  });
});

describe('PromQL results in three states', () => {
  it('tells a value, NaN (series, no traffic) and empty (no series) apart', () => {
    expect(readSingle(vector('0.25'))).toEqual({ state: 'value', value: 0.25, t: 1700000000.5 });
    expect(readSingle(vector('NaN'))).toEqual({ state: 'nan', t: 1700000000.5 });
    expect(readSingle(vector())).toEqual({ state: 'empty' });
    expect(readSingle(vector('+Inf'))).toEqual({
      state: 'value',
      value: Number.POSITIVE_INFINITY,
      t: 1700000000.5,
    });
    expect(readSingle(vector('-Inf'))).toMatchObject({ state: 'value', value: Number.NEGATIVE_INFINITY });
  });

  it('refuses to pick one series out of several', () => {
    const read = readSingle(vector('1', '2'));
    expect(read.state).toBe('unreadable');
    expect(describeReading(read)).toContain(
      '2 series where one number was expected ({job="j0"}, {job="j1"})',
    );
    expect(readEach(vector('1', 'NaN')).map((s) => s.reading.state)).toEqual(['value', 'nan']);
  });

  it('reads scalars, strings and matrices', () => {
    expect(readSingle(queryDataSchema.parse({ resultType: 'scalar', result: [1, 'NaN'] }))).toEqual({
      state: 'nan',
      t: 1,
    });
    expect(readSingle(queryDataSchema.parse({ resultType: 'string', result: [1, 'hello'] }))).toMatchObject({
      state: 'unreadable',
    });
    const matrix = queryDataSchema.parse({
      resultType: 'matrix',
      result: [
        {
          metric: {},
          values: [
            [2, '+Inf'],
            [1, '3'],
          ],
        },
      ],
    });
    expect(matrix).toEqual({
      type: 'matrix',
      series: [
        {
          labels: {},
          points: [
            { kind: 'float', t: 1, value: 3 },
            { kind: 'float', t: 2, value: Infinity },
          ],
        },
      ],
    });
    expect(readSingle(matrix)).toEqual({ state: 'value', value: Number.POSITIVE_INFINITY, t: 2 });
  });

  it('keeps a native histogram apart from a float', () => {
    const result = queryDataSchema.parse({
      resultType: 'vector',
      result: [{ metric: {}, histogram: [1, { count: '10', sum: '2.5', buckets: [] }] }],
    });
    expect(result).toMatchObject({ series: [{ point: { kind: 'histogram', count: 10, sum: 2.5 } }] });
    expect(readSingle(result)).toMatchObject({
      state: 'unreadable',
      reason: expect.stringContaining('native histogram'),
    });
  });

  it('finds a sample value that is not a number malformed', () => {
    const parsed = queryDataSchema.safeParse({
      resultType: 'vector',
      result: [{ metric: {}, value: [1, 'one'] }],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('sample value "one" is not a number');
  });
});

describe('the Prometheus envelope', () => {
  it('carries warnings and infos with the data, not as failures', () => {
    const read = readEnvelope(
      WHAT,
      answer(
        200,
        '{"status":"success","data":{"resultType":"vector","result":[]},"warnings":["partial"],"infos":["possible non-counter"]}',
      ),
    );
    expect(read).toEqual({
      ok: true,
      data: { resultType: 'vector', result: [] },
      warnings: ['partial'],
      infos: ['possible non-counter'],
    });
  });

  it('gives each error its kind and the server words', () => {
    const bad = readEnvelope(
      WHAT,
      answer(
        400,
        '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\": 1:15: parse error: unclosed left parenthesis"}',
      ),
    );
    expect(bad).toMatchObject({
      ok: false,
      failure: { kind: 'api-error', status: 400, errorType: 'bad_data' },
    });
    expect(!bad.ok && bad.failure.message).toBe(
      `${WHAT} refused the request (400 bad_data): invalid parameter "query": 1:15: parse error: unclosed left parenthesis`,
    );
    const execution = readEnvelope(
      WHAT,
      answer(422, '{"status":"error","errorType":"execution","error":"found duplicate series"}'),
    );
    expect(execution).toMatchObject({
      ok: false,
      failure: { kind: 'api-error', status: 422, errorType: 'execution' },
    });
    const timeout = readEnvelope(
      WHAT,
      answer(
        503,
        '{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}',
      ),
    );
    expect(!timeout.ok && isTimeout(timeout.failure)).toBe(true);
    expect(!timeout.ok && timeout.failure.message).toContain(
      'ran out of time evaluating the query (503 timeout)',
    );
  });

  it('reads the plain-text 503 of a starting Prometheus as not ready, not as an API error', () => {
    const read = readEnvelope(WHAT, answer(503, 'Service Unavailable', 'text/plain'));
    expect(read).toEqual({
      ok: false,
      failure: {
        kind: 'not-ready',
        status: 503,
        detail: 'Service Unavailable',
        message: `${WHAT} is not ready (503: Service Unavailable)`,
      },
    });
    expect(readEnvelope(WHAT, answer(401, '<html>Unauthorized</html>', 'text/html'))).toMatchObject({
      ok: false,
      failure: { kind: 'http-status', status: 401 },
    });
  });

  it('finds bodies that are not the envelope malformed, never empty', () => {
    for (const [status, text] of [
      [200, ''],
      [200, '<html></html>'],
      [200, '{"data":[]}'],
      [200, '{"status":"error","errorType":"bad_data","error":"x"}'],
      [500, '{"status":"success","data":{}}'],
    ] as const)
      expect(readEnvelope(WHAT, answer(status, text)), text).toMatchObject({
        ok: false,
        failure: { kind: 'malformed' },
      });
  });

  it('reads targets, Go zero times as never', () => {
    const targets = targetsSchema.parse({
      activeTargets: [
        {
          discoveredLabels: { __address__: '127.0.0.1:1', job: 'down' },
          labels: { instance: '127.0.0.1:1', job: 'down' },
          scrapePool: 'down',
          scrapeUrl: 'http://127.0.0.1:1/metrics',
          globalUrl: 'http://vm:1/metrics',
          lastError: '',
          lastScrape: '0001-01-01T00:00:00Z',
          lastScrapeDuration: 0,
          health: 'unknown',
          scrapeInterval: '1s',
          scrapeTimeout: '1s',
        },
      ],
      droppedTargets: [],
    });
    expect(targets.active[0]).toMatchObject({
      health: 'unknown',
      lastScrapeMs: undefined,
      scrapePool: 'down',
    });
  });
});

describe('histogram bucket layouts', () => {
  const buckets = (job: string, les: string[]) =>
    les.map((le) => ({ __name__: 'app_seconds_bucket', job, instance: `${job}:1`, le }));

  it('groups series by their boundaries, numerically', () => {
    const layouts = bucketLayouts([
      ...buckets('a', ['0.1', '0.5', '+Inf']),
      ...buckets('b', ['0.10', '0.5', '+Inf']),
    ]);
    expect(layouts).toEqual([
      {
        boundaries: [0.1, 0.5, Number.POSITIVE_INFINITY],
        series: [
          { job: 'a', instance: 'a:1' },
          { job: 'b', instance: 'b:1' },
        ],
      },
    ]);
  });

  it('finds different boundaries on the two sides not comparable, naming them', () => {
    const baseline = bucketLayouts(buckets('a', ['0.1', '0.5', '+Inf']));
    const target = bucketLayouts(buckets('a', ['0.2', '1', '+Inf']));
    expect(compareBucketLayouts(baseline, target)).toEqual({
      comparable: false,
      reason:
        'the histograms have different bucket boundaries (only the baseline has 0.1, 0.5; only the target has 0.2, 1): their quantiles are not comparable',
    });
    expect(compareBucketLayouts(baseline, baseline)).toEqual({
      comparable: true,
      boundaries: [0.1, 0.5, Infinity],
    });
  });

  it('finds mixed layouts on one side, and none at all, not comparable', () => {
    const mixed = bucketLayouts([...buckets('a', ['0.1', '+Inf']), ...buckets('b', ['0.2', '+Inf'])]);
    expect(compareBucketLayouts(mixed, mixed)).toMatchObject({
      comparable: false,
      reason: expect.stringContaining('mixes 2 bucket layouts'),
    });
    expect(compareBucketLayouts([], mixed)).toMatchObject({
      comparable: false,
      reason: expect.stringContaining('the baseline has no bucket series'),
    });
  });
});

describe('Alertmanager', () => {
  // What Alertmanager 0.25 posted to a webhook in the lab: a resolved alert inside a `firing` notification.
  const payload = {
    receiver: 'hook',
    status: 'firing',
    alerts: [
      {
        status: 'resolved',
        labels: { alertname: 'Smoke', run_id: 'x1' },
        annotations: {},
        startsAt: '2026-12-06T23:57:25.853104533Z',
        endsAt: '2026-12-06T23:57:28Z',
        generatorURL: '',
        fingerprint: '2fc7e7b77bea4ef1',
      },
      {
        status: 'firing',
        labels: { alertname: 'Watchdog', severity: 'none' },
        annotations: {},
        startsAt: '2026-12-06T23:55:57.013Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://vm:29090/graph?g0.expr=vector%281%29&g0.tab=1',
        fingerprint: '448881ef475b9b26',
      },
    ],
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://vm:29093',
    version: '4',
    groupKey: '{}:{}',
    truncatedAlerts: 0,
  };

  it('reads a version 4 webhook payload, each alert with its own status', () => {
    const read = webhookPayloadSchema.parse(payload);
    expect(read.alerts.map((a) => [a.labels.alertname, a.status])).toEqual([
      ['Smoke', 'resolved'],
      ['Watchdog', 'firing'],
    ]);
    expect(read.alerts[0]!.endsAtMs).toBe(Date.parse('2026-12-06T23:57:28Z'));
    expect(read.alerts[1]!.endsAtMs).toBeUndefined();
    expect(webhookPayloadSchema.safeParse({ ...payload, version: '3' }).success).toBe(false);
  });

  it('writes matchers Alertmanager parses back to the same value', () => {
    expect(equalityMatcher('run_id', 'a"b\\c\nd')).toBe('run_id="a\\"b\\\\c\\nd"');
    expect(equalityMatcher('bad-name', 'x')).toBeUndefined();
    expect(matchersFor({ alertname: 'Smoke', run_id: 'r1' })).toEqual(['alertname="Smoke"', 'run_id="r1"']);
  });
});

describe('Loki', () => {
  it('reads streams with exact nanosecond timestamps and finds the newest entry', () => {
    const data = lokiQueryDataSchema.parse({
      resultType: 'streams',
      result: [
        {
          stream: { job: 'a' },
          values: [
            ['1700000000123456789', 'later'],
            ['1700000000000000001', 'first'],
          ],
        },
        { stream: { job: 'b' }, values: [['1700000000123456788', 'almost']] },
      ],
      stats: {},
    });
    expect(data.type).toBe('streams');
    const newest = data.type === 'streams' ? newestEntry(data.streams) : undefined;
    expect(newest).toEqual({
      labels: { job: 'a' },
      entry: { ns: '1700000000123456789', ms: 1700000000123, line: 'later' },
    });
  });

  it('reads a metric query as a matrix', () => {
    const data = lokiQueryDataSchema.parse({
      resultType: 'matrix',
      result: [{ metric: { level: 'info' }, values: [[1, '137.95']] }],
    });
    expect(readSingle(data as never)).toEqual({ state: 'value', value: 137.95, t: 1 });
  });
});
