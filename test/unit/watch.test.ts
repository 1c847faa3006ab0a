// The watch's pure parts: reading a service's three answers into one of its states (never conflated),
// judging a window against the baseline with the gates' criteria, the breach policy, the evidence the
// phase gates read, the query templates and the plan's refusals.
import { describe, expect, it } from 'vitest';
import type { ApiOutcome } from '../../src/core/monitoring/api-outcome.js';
import type { QueryResult } from '../../src/core/monitoring/query-result.js';
import { queryDataSchema } from '../../src/core/monitoring/query-result.js';
import { BreachCounter, decideWatch } from '../../src/suites/post-cutover/breach.js';
import { parseWatchCriterion, watchSchema } from '../../src/suites/post-cutover/define.js';
import { composeEvidence, sampleEvidence } from '../../src/suites/post-cutover/evidence.js';
import { judgeService, judgeUnder } from '../../src/suites/post-cutover/judge.js';
import { planWatch } from '../../src/suites/post-cutover/plan.js';
import { readRequestCount, readSample, type TrafficSample } from '../../src/suites/post-cutover/sample.js';
import { selectorOf, serviceQueries } from '../../src/suites/post-cutover/templates.js';

const answer = (data: unknown): ApiOutcome<QueryResult> => ({
  ok: true,
  value: queryDataSchema.parse(data),
  warnings: [],
  infos: [],
  elapsedMs: 1,
});
const scalarVector = (v: string) => answer({ resultType: 'vector', result: [{ metric: {}, value: [1, v] }] });
const emptyVector = answer({ resultType: 'vector', result: [] });
const buckets = (pairs: Array<[string, string]>) =>
  answer({ resultType: 'vector', result: pairs.map(([le, v]) => ({ metric: { le }, value: [1, v] })) });
const failure = (f: Extract<ApiOutcome<QueryResult>, { ok: false }>['failure']): ApiOutcome<QueryResult> => ({
  ok: false,
  failure: f,
  elapsedMs: 1,
});

const LE = [
  ['0.005', '0'],
  ['0.01', '0'],
  ['0.05', '0'],
  ['0.25', '0'],
  ['+Inf', '0'],
] as Array<[string, string]>;

/** A traffic sample with `n` requests, `slow` of them in the 250 ms bucket, the rest under 5 ms. */
function traffic(n: number, slow = 0, errors = 0): TrafficSample {
  return readSample(
    {
      requests: scalarVector(String(n)),
      errors: scalarVector(String(errors)),
      buckets: buckets([
        ['0.005', String(n - slow)],
        ['0.01', String(n - slow)],
        ['0.05', String(n - slow)],
        ['0.25', String(n)],
        ['+Inf', String(n)],
      ]),
    },
    1000,
  );
}

const CRITERIA = [
  'http_req_duration: p(95) <= baseline * 1.10 + 10ms',
  'http_req_failed: rate <= baseline + 0.01',
].map((text) => ({ text, rule: parseWatchCriterion(text) }));

describe('a window read from Prometheus', () => {
  it('keeps traffic, no traffic, no data and errors apart', () => {
    expect(traffic(200, 10, 2)).toEqual({
      state: 'traffic',
      requests: 200,
      errors: 2,
      buckets: [
        { leMs: 5, count: 190 },
        { leMs: 10, count: 0 },
        { leMs: 50, count: 0 },
        { leMs: 250, count: 10 },
        { leMs: Number.POSITIVE_INFINITY, count: 0 },
      ],
    });
    const none = { errors: scalarVector('0'), buckets: buckets(LE) };
    expect(readSample({ requests: scalarVector('0'), ...none }, 1000).state).toBe('no-traffic');
    expect(readSample({ requests: scalarVector('NaN'), ...none }, 1000).state).toBe('no-traffic');
    expect(readSample({ requests: emptyVector, ...none }, 1000)).toEqual({
      state: 'no-data',
      reason: expect.stringMatching(/^no data: the requests query matched no series/),
    });
    // +Inf requests is no count: an error, never a huge amount of traffic.
    expect(readSample({ requests: scalarVector('+Inf'), ...none }, 1000)).toEqual({
      state: 'error',
      reason: 'the requests query gives +Inf',
    });
  });

  it('is an error with Prometheus’ words when it is not ready, refuses the query or times out', () => {
    const ok = { errors: scalarVector('0'), buckets: buckets(LE) };
    const cases: Array<[Extract<ApiOutcome<QueryResult>, { ok: false }>['failure'], RegExp]> = [
      [
        {
          kind: 'not-ready',
          status: 503,
          message: 'Prometheus: 503 Service Unavailable (not ready)',
          detail: '',
        },
        /not ready/,
      ],
      [
        {
          kind: 'api-error',
          status: 422,
          errorType: 'execution',
          message: 'Prometheus: execution: many-to-many matching',
          detail: '',
        },
        /execution: many-to-many/,
      ],
      [
        {
          kind: 'unreachable',
          cause: 'timeout',
          message: 'Prometheus: no answer within 10000 ms',
          detail: '',
        } as never,
        /no answer within/,
      ],
    ];
    for (const [f, reason] of cases) {
      const sample = readSample({ requests: failure(f), ...ok }, 1000);
      expect(sample.state).toBe('error');
      expect((sample as { reason: string }).reason).toMatch(reason);
      expect((sample as { reason: string }).reason).toMatch(/^the requests query failed: /);
    }
  });

  it('refuses an errors query that is empty while there was traffic, instead of reading it as no failures', () => {
    const sample = readSample(
      { requests: scalarVector('10'), errors: emptyVector, buckets: buckets(LE) },
      1000,
    );
    expect(sample).toEqual({
      state: 'error',
      reason: expect.stringMatching(/errors query gives empty .* must give 0/),
    });
  });

  it('reads a query giving several series as unreadable, never its first element', () => {
    const two = answer({
      resultType: 'vector',
      result: [
        { metric: { job: 'a' }, value: [1, '5'] },
        { metric: { job: 'b' }, value: [1, '7'] },
      ],
    });
    expect(readRequestCount(two)).toEqual({
      state: 'error',
      reason: expect.stringMatching(/2 series where one number/),
    });
  });
});

describe('judging a window against the baseline', () => {
  it('passes a target like the baseline and breaches on a latency step, with both figures', () => {
    const base = traffic(400, 0);
    const healthy = judgeService('api', traffic(400, 0), base, CRITERIA.slice(0, 1), undefined);
    expect(healthy.state).toBe('healthy');
    const slow = judgeService('api', traffic(400, 200), base, CRITERIA.slice(0, 1), undefined);
    expect(slow.state).toBe('breach');
    expect(slow.criteria[0]).toMatchObject({ status: 'BREACH', target: 250, baseline: 5 });
  });

  it('is inconclusive, not healthy, with too few requests, without a baseline, or without traffic', () => {
    expect(judgeService('api', traffic(20), traffic(400), CRITERIA.slice(0, 1), undefined)).toMatchObject({
      state: 'inconclusive',
      reason: expect.stringMatching(/too few samples/),
    });
    expect(judgeService('api', traffic(400), undefined, CRITERIA, undefined)).toMatchObject({
      state: 'inconclusive',
      reason: expect.stringMatching(/no baseline figures/),
    });
    const idle = readSample(
      { requests: scalarVector('0'), errors: scalarVector('0'), buckets: buckets(LE) },
      1000,
    );
    expect(judgeService('api', idle, traffic(400), CRITERIA, undefined).state).toBe('no-traffic');
  });

  it('does not compare latency over different bucket boundaries', () => {
    const other = readSample(
      {
        requests: scalarVector('400'),
        errors: scalarVector('0'),
        buckets: buckets([
          ['0.1', '400'],
          ['+Inf', '400'],
        ]),
      },
      1000,
    );
    const judged = judgeService('api', other, traffic(400), CRITERIA.slice(0, 1), undefined);
    expect(judged.state).toBe('incomparable');
    expect(judged.reason).toMatch(/different bucket boundaries/);
  });

  it('judges the fraction under a bound conservatively between bucket boundaries', () => {
    const t = traffic(400, 40) as Extract<TrafficSample, { state: 'traffic' }>;
    // 30 ms lies between the 10 ms and 50 ms boundaries: counted up to 10 ms.
    const under = judgeUnder({ boundMs: 30, atLeast: 0.8 }, t);
    expect(under).toMatchObject({ status: 'PASS', target: 0.9 });
    expect(under.reason).toMatch(/counted up to the bucket boundary 10 ms/);
    expect(judgeUnder({ boundMs: 30, atLeast: 0.99 }, t).status).toBe('BREACH');
    expect(judgeUnder({ boundMs: 1, atLeast: 0.5 }, t).status).toBe('INCONCLUSIVE');
  });
});

describe('the breach policy', () => {
  it('counts consecutive breaches, resets on healthy and holds on an inconclusive window', () => {
    const b = new BreachCounter(3);
    expect(['breach', 'breach', 'no-data', 'error', 'breach'].map((s) => b.record('a', s as never))).toEqual([
      1, 2, 2, 2, 3,
    ]);
    expect(b.reached('a')).toBe(true);
    expect(b.record('a', 'healthy')).toBe(0);
    expect(b.reached('b')).toBe(false);
  });

  it('decides rollback from a failed check, healthy only when every service passed', () => {
    const c = (service: string, status: string) => ({
      suite: 'post-cutover',
      check: 'watch',
      status,
      service,
      reason: 'r',
    });
    expect(decideWatch([c('a', 'pass'), c('b', 'fail')]).decision).toBe('rollback');
    expect(decideWatch([c('a', 'pass'), c('b', 'pass')]).decision).toBe('healthy');
    expect(decideWatch([c('a', 'pass'), c('b', 'skip')]).decision).toBe('inconclusive');
    expect(decideWatch([]).decision).toBe('inconclusive');
  });
});

describe('the evidence a phase gate reads', () => {
  it('records counts, failures and latency for traffic, a zero count for none, and coverage for no data', () => {
    const items = sampleEvidence('target', 'api', traffic(100, 10, 3), 't', '60s');
    expect(items.map((i) => (i.kind === 'metric' ? i.name : i.kind))).toEqual([
      'http_reqs',
      'http_req_failed',
      'http_req_duration',
    ]);
    expect(items[1]).toMatchObject({ suite: 'post-cutover', passes: 3, fails: 97, tags: { service: 'api' } });
    const idle = readSample(
      { requests: scalarVector('0'), errors: scalarVector('0'), buckets: buckets(LE) },
      1000,
    );
    expect(composeEvidence('baseline', 'api', idle, 't', '60s')).toEqual([
      expect.objectContaining({ name: 'http_reqs', count: 0, environment: 'baseline' }),
    ]);
    const none = readSample({ requests: emptyVector, errors: emptyVector, buckets: emptyVector }, 1000);
    expect(sampleEvidence('target', 'api', none, 't', '60s')).toEqual([
      expect.objectContaining({
        kind: 'coverage',
        status: 'could-not-check',
        reason: expect.stringMatching(/no data/),
      }),
    ]);
  });
});

describe('query templates and the plan', () => {
  const settings = watchSchema.parse({
    services: { edge: { template: 'traefik' }, odd: { labels: { app: 'x"y', env: '=~prod|live' } } },
  });

  it('fills the built-in templates with each service’s labels and the window', () => {
    expect(serviceQueries(settings, 'api', 60_000).requests).toBe(
      'sum(increase(http_requests_total{job="api"}[60s]))',
    );
    expect(serviceQueries(settings, 'edge', 30_000).buckets).toBe(
      'sum by (le) (increase(traefik_service_request_duration_seconds_bucket{service=~"edge(@.*)?"}[30s]))',
    );
    expect(selectorOf({ app: 'x"y', env: '=~prod|live' })).toBe('app="x\\"y", env=~"prod|live"');
    expect(() => serviceQueries(watchSchema.parse({ template: 'nope' }), 'api', 1000)).toThrow(
      /watch.template: unknown query template "nope"; known: prom-client, traefik/,
    );
  });

  it('refuses criteria a watch cannot judge when the config loads', () => {
    expect(
      watchSchema.safeParse({ criteria: ['http_req_duration: p(95) < 300'] }).error?.issues[0]?.message,
    ).toMatch(/write the limit as baseline/);
    expect(
      watchSchema.safeParse({ criteria: ['http_req_duration: p(95) <= baseline * 1.1 + 5xs'] }).success,
    ).toBe(false);
  });

  it('needs a Prometheus for the target, and --for at least one interval', () => {
    const environments = {
      baseline: { kind: 'compose', services: { api: { url: 'http://b' } } },
      target: { kind: 'kubernetes', services: { api: { url: 'http://t' } } },
    } as never;
    const ctx = { environments: ['baseline', 'target'], services: ['api'] };
    expect(() => planWatch({ environments, watch: settings }, ctx)).toThrow(
      /environments.target.monitoring.prometheus: not set/,
    );
    const withProm = {
      baseline: { kind: 'compose', services: { api: { url: 'http://b' } } },
      target: {
        kind: 'kubernetes',
        services: { api: { url: 'http://t' }, prometheus: { url: 'http://p:9090' } },
      },
    } as never;
    const plan = planWatch(
      { environments: withProm, watch: watchSchema.parse({}) },
      { environments: ['baseline', 'target'], services: ['api', 'prometheus'] },
    );
    expect(plan.services.map((s) => s.id)).toEqual(['api']);
    expect(plan.evaluations).toBe(24 * 60);
    // The Compose side is the environment named baseline, not whichever comes first besides the target.
    const three = { staging: { kind: 'kubernetes', services: {} }, ...(withProm as object) } as never;
    const picked = planWatch(
      { environments: three, watch: watchSchema.parse({}) },
      { environments: ['target', 'staging', 'baseline'], services: ['api'] },
    );
    expect([picked.target, picked.baseline]).toEqual(['target', 'baseline']);
    const alone = planWatch(
      { environments: withProm, watch: watchSchema.parse({}) },
      { environments: ['target'], services: ['api'] },
    );
    expect(alone.baseline).toBeUndefined();
    expect(() =>
      planWatch({ environments: withProm, watch: watchSchema.parse({}) }, ctx, {
        intervalMs: 60_000,
        forMs: 1000,
      }),
    ).toThrow(/--for 1000 ms is shorter than one --interval/);
  });
});

describe('the watch command’s flags', () => {
  it('turns flags into options, and refuses bad values naming the flag', async () => {
    const { watchOptions } = await import('../../src/cli/commands/watch.js');
    expect(watchOptions({ interval: '30s', for: '2h', rollbackAfter: '5', metrics: false })).toEqual({
      intervalMs: 30_000,
      forMs: 7_200_000,
      failureLimit: 5,
      metricsListen: false,
    });
    expect(() => watchOptions({ interval: 'soon' })).toThrow(
      '--interval soon: expected a duration such as 30s, 5m or 24h',
    );
    expect(() => watchOptions({ for: '0s' })).toThrow(/--for 0s: expected a duration/);
    expect(() => watchOptions({ rollbackAfter: '0' })).toThrow(
      '--rollback-after 0: expected a whole number of at least 1',
    );
  });
});

describe('webhook URLs in plans, logs and records', () => {
  it('show the origin only: a chat webhook’s secret is in its path', async () => {
    const { shownUrl } = await import('../../src/suites/post-cutover/plan.js');
    expect(shownUrl('https://hooks.slack.com/services/T000/B000/XXXXsecretXXXX')).toBe(
      'https://hooks.slack.com/…',
    );
    expect(shownUrl('https://ops.example.com/?token=abc')).toBe('https://ops.example.com/…');
    expect(shownUrl('https://ops.example.com')).toBe('https://ops.example.com');
  });
});
