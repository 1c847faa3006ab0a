// The monitoring suite's pure parts: its config section, its plan (endpoints, the scrape mapping, the
// checks per environment, parity), and the judgements that turn API answers into checks naming the cause.
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import type { UserError } from '../../src/core/errors.js';
import { parseFaultSpec, validateFaultTargets } from '../../src/core/faults.js';
import type { RuleGroup } from '../../src/core/monitoring/prometheus-rules.js';
import type { Targets } from '../../src/core/monitoring/prometheus-status.js';
import {
  counterTotal,
  judgeAlertmanagers,
  judgeDropped,
  judgeParity,
  judgeRuleHealth,
  judgeSelectsNothing,
  judgeServiceTargets,
  judgeTargetsDown,
  ruleKeys,
  ruleSelectors,
  type SelectorLookup,
} from '../../src/suites/monitoring/evidence.js';
import { planMonitoring, plannedMonitoringChecks } from '../../src/suites/monitoring/plan.js';

const config = (extra: Record<string, unknown> = {}) =>
  validateConfig(
    {
      project: 'p',
      environments: {
        baseline: {
          kind: 'compose',
          composeFile: 'docker-compose.yml',
          services: {
            api: { url: 'http://127.0.0.1:1' },
            web: { url: 'http://127.0.0.1:2' },
            prometheus: { url: 'http://127.0.0.1:9090' },
          },
        },
        target: {
          kind: 'kubernetes',
          context: 'ctx',
          namespaces: ['apps'],
          services: { api: { url: 'http://127.0.0.1:3' }, web: { url: 'http://127.0.0.1:4' } },
          monitoring: { prometheus: 'http://127.0.0.1:19090', loki: { url: 'http://127.0.0.1:3100' } },
        },
      },
      services: {
        api: { tier: 'application', phase: 3, health: { path: '/health' } },
        web: { tier: 'frontend', phase: 3, health: { path: '/' } },
        prometheus: { tier: 'monitoring', phase: 2, health: { path: '/-/ready' } },
      },
      ...extra,
    },
    'cutover.config.ts',
    '/tmp',
  );

const target = (labels: Record<string, string>, health: 'up' | 'down' | 'unknown', lastError = '') => ({
  labels,
  discoveredLabels: {},
  scrapePool: labels.job ?? 'x',
  scrapeUrl: `http://${labels.job}:80/metrics`,
  health,
  lastError,
  lastScrapeMs: undefined,
  lastScrapeDurationS: 0,
  scrapeInterval: '1s',
});

const rule = (name: string, query: string, health: 'ok' | 'err' = 'ok', lastError?: string) => ({
  type: 'recording' as const,
  name,
  query,
  labels: {},
  health,
  lastError,
  evaluationTimeS: 0,
  lastEvaluationMs: undefined,
});

const group = (name: string, rules: ReturnType<typeof rule>[]): RuleGroup =>
  ({ name, file: `/rules/${name}.yml`, rules, intervalS: 1 }) as unknown as RuleGroup;

describe('the monitoring config section', () => {
  it('has defaults for every setting', () => {
    const m = config().monitoring;
    expect(m.scrape).toEqual({ label: 'job', services: {} });
    expect(m.alert.mode).toBe('synthetic');
    expect(m.alert.receiver).toMatchObject({ host: '127.0.0.1', port: 9799, path: '/alerts' });
    expect(m.loki.query).toBe('{service="{{service}}"}');
    expect(m.parity).toEqual({ rules: true, jobs: true, dashboards: true });
  });

  it('refuses a Loki query without the service placeholder and a wrong mapping, naming where', () => {
    const problems = (extra: Record<string, unknown>) => {
      try {
        config(extra);
      } catch (error) {
        return (error as UserError).details?.join('\n') ?? '';
      }
      return 'no error';
    };
    expect(problems({ monitoring: { loki: { query: '{app="x"}' } } })).toMatch(
      /monitoring\.loki\.query.*\{\{service\}\}/,
    );
    expect(problems({ monitoring: { scrape: { services: { api: 42 } } } })).toMatch(
      /monitoring\.scrape\.services\.api.*job name/,
    );
  });
});

describe('planMonitoring', () => {
  it('resolves endpoints per environment, or says why a component cannot be checked', () => {
    const plan = planMonitoring(config(), ['baseline', 'target'], ['api', 'web', 'prometheus'], 'run-1');
    const [baseline, tgt] = plan.environments;
    expect(baseline!.endpoints.prometheus).toMatchObject({
      available: true,
      source: 'service',
      endpoint: { url: 'http://127.0.0.1:9090' },
    });
    expect(tgt!.endpoints.prometheus).toMatchObject({ available: true, source: 'config' });
    expect(baseline!.endpoints.grafana).toEqual({
      available: false,
      reason: expect.stringContaining('environments.baseline.monitoring.grafana'),
    });
    // The target has no prometheus service: only its deployed services are expected there.
    expect(tgt!.scraped.map((s) => s.service)).toEqual(['api', 'web']);
    expect(plan.parity).toEqual({
      baseline: 'baseline',
      target: 'target',
      checks: ['rules-parity', 'jobs-parity', 'dashboards-parity'],
    });
  });

  it('maps services to scrape targets by job, labels, or not at all', () => {
    const plan = planMonitoring(
      config({
        monitoring: {
          scrape: { services: { api: 'rentguy', web: false, prometheus: { labels: { app: 'p' } } } },
        },
      }),
      ['baseline'],
      ['api', 'web', 'prometheus'],
      'run-1',
    );
    expect(plan.environments[0]!.scraped).toEqual([
      { service: 'api', match: { job: 'rentguy' } },
      { service: 'prometheus', match: { app: 'p' } },
    ]);
    expect(plan.parity).toBeUndefined();
  });

  it('takes the command’s endpoints and unavailable reasons over the config', () => {
    const plan = planMonitoring(config(), ['baseline', 'target'], ['api'], 'run-1', {
      environments: {
        baseline: { prometheus: 'http://127.0.0.1:5555', alertmanager: { unavailable: 'not installed' } },
      },
      alert: { port: 4242, deliveryTimeoutMs: 500 },
    });
    expect(plan.environments[0]!.endpoints.prometheus).toMatchObject({
      available: true,
      source: 'command',
      endpoint: { url: 'http://127.0.0.1:5555' },
    });
    expect(plan.environments[0]!.endpoints.alertmanager).toEqual({
      available: false,
      reason: 'not installed',
    });
    expect(plan.receiverPort).toBe(4242);
    expect(plan.deliveryTimeoutMs).toBe(500);
  });

  it('counts the checks it will record: the same on both sides, parity on the target', () => {
    const plan = planMonitoring(config(), ['baseline', 'target'], ['api', 'web'], 'run-1');
    // Per environment: 7 Prometheus + 1 Alertmanager + 2 alert + 2 Grafana + 1 Loki, and per service a
    // target and a log check; then 3 parity checks.
    expect(plannedMonitoringChecks(plan)).toBe(2 * (13 + 2 + 2) + 3);
  });

  it('refuses a mapping for a service that does not exist, naming it', () => {
    expect(() =>
      planMonitoring(
        config({ monitoring: { scrape: { services: { nope: 'x' } } } }),
        ['baseline'],
        ['api'],
        'r',
      ),
    ).toThrow(/monitoring config names services/);
  });
});

describe('judging Prometheus', () => {
  const targets: Targets = {
    active: [target({ job: 'api' }, 'up'), target({ job: 'web' }, 'down', 'connection refused')],
    dropped: [],
  };
  const scraped = [
    { service: 'api', match: { job: 'api' } },
    { service: 'web', match: { job: 'web' } },
    { service: 'db', match: { job: 'db' } },
  ];

  it('names each service whose target is down or missing', () => {
    const [api, web, db] = judgeServiceTargets(targets, scraped);
    expect(api).toMatchObject({ service: 'api', check: 'target-up', status: 'pass' });
    expect(web).toMatchObject({ service: 'web', status: 'fail' });
    expect(web!.reason).toContain('connection refused');
    expect(db).toMatchObject({ service: 'db', status: 'fail' });
    expect(db!.reason).toContain('no scrape target with {job="db"}');
  });

  it('does not pass a target that has not been scraped yet', () => {
    const [api] = judgeServiceTargets({ active: [target({ job: 'api' }, 'unknown')], dropped: [] }, scraped);
    expect(api).toMatchObject({ status: 'skip' });
  });

  it('names a down target of any job', () => {
    const check = judgeTargetsDown(targets);
    expect(check.status).toBe('fail');
    expect(check.reason).toContain('job web http://web:80/metrics: connection refused');
    expect(judgeTargetsDown({ active: [], dropped: [] }).status).toBe('fail');
  });

  it('does not judge a Prometheus that started moments ago and knows no target yet', () => {
    const none = { active: [], dropped: [] };
    const [api] = judgeServiceTargets(none, scraped, 3_000);
    expect(api).toMatchObject({ status: 'skip' });
    expect(api!.reason).toContain('started 3 s ago and has not discovered its scrape targets yet');
    expect(judgeTargetsDown(none, 3_000).status).toBe('skip');
    // Up for a while, or with targets it knows: judged as it is.
    expect(judgeTargetsDown(none, 120_000).status).toBe('fail');
    expect(judgeServiceTargets(none, scraped, 120_000)[0]).toMatchObject({ status: 'fail' });
    expect(judgeServiceTargets(targets, scraped, 3_000)[1]).toMatchObject({ service: 'web', status: 'fail' });
  });

  it('names a rule that fails to evaluate with its error', () => {
    const now = Date.parse('2026-12-07T10:00:00Z');
    const check = judgeRuleHealth(
      [group('g', [rule('ok', 'up'), rule('bad', 'up * on () up', 'err', 'many-to-many')])],
      now,
    );
    expect(check.status).toBe('fail');
    expect(check.reason).toContain('bad (group g, /rules/g.yml): many-to-many');
    expect(judgeRuleHealth([group('g', [rule('ok', 'up')])], now).status).toBe('pass');
  });

  it('names a rule group whose evaluation stalled, allowing a minute of clock difference', () => {
    const now = Date.parse('2026-12-07T10:00:00Z');
    const at = (agoS: number) =>
      ({
        ...group('slow', [rule('ok', 'up')]),
        intervalS: 30,
        lastEvaluationMs: now - agoS * 1000,
      }) as RuleGroup;
    const stalled = judgeRuleHealth([at(300)], now);
    expect(stalled.status).toBe('fail');
    expect(stalled.reason).toContain('group slow (/rules/slow.yml) last evaluated 300 s ago, every 30 s');
    expect(judgeRuleHealth([at(100)], now).status).toBe('pass');
  });

  it('flags a rule whose selector matches no series, and leaves a failed lookup undecided', () => {
    const groups = [
      group('g', [
        rule('fine', 'rate(http_requests_total{code=~"5.."}[5m])'),
        rule('blind', 'rate(http_request_totl[5m]) > 0'),
      ]),
    ];
    const rules = ruleSelectors(groups, []);
    expect(rules.map((r) => r.selectors)).toEqual([['http_requests_total'], ['http_request_totl']]);
    const found = (entries: Array<[string, SelectorLookup]>) => new Map(entries);
    const blind = judgeSelectsNothing(
      rules,
      found([
        ['http_requests_total', { ok: true, series: 4 }],
        ['http_request_totl', { ok: true, series: 0 }],
      ]),
      10,
    );
    expect(blind.status).toBe('fail');
    expect(blind.reason).toContain('blind (group g) selects no series with `http_request_totl`');
    expect(blind.reason).not.toContain('fine');

    const undecided = judgeSelectsNothing(
      rules,
      found([
        ['http_requests_total', { ok: true, series: 4 }],
        ['http_request_totl', { ok: false, reason: 'Prometheus answered 422: timeout' }],
      ]),
      10,
    );
    expect(undecided.status).toBe('skip');
    expect(undecided.reason).toContain('422');

    // Declared by a target but without traffic yet: spelled right, not blind.
    const declared = judgeSelectsNothing(
      rules,
      found([
        ['http_requests_total', { ok: true, series: 0, declared: true }],
        ['http_request_totl', { ok: true, series: 1 }],
      ]),
      10,
    );
    expect(declared.status).toBe('pass');
  });

  it('lets listed rules select nothing', () => {
    const rules = ruleSelectors([group('g', [rule('guard', 'missing_metric')])], ['guard']);
    expect(rules).toEqual([]);
  });

  it('judges Alertmanagers discovered and notifications dropped', () => {
    expect(judgeAlertmanagers({ active: ['http://am/api/v2/alerts'], dropped: [] }).status).toBe('pass');
    expect(judgeAlertmanagers({ active: [], dropped: [] }).reason).toContain('no Alertmanager');
    expect(judgeDropped(0, { windowMinutes: 10 }).status).toBe('pass');
    expect(judgeDropped(3, 'since-start')).toMatchObject({ status: 'fail', data: { dropped: 3 } });
    expect(judgeDropped(undefined, 'since-start').status).toBe('skip');
  });

  it('reads a counter from the text exposition', () => {
    const text =
      '# TYPE prometheus_notifications_dropped_total counter\nprometheus_notifications_dropped_total 2\nprometheus_notifications_dropped_total_other 9\nx{a="b"} 1\n';
    expect(counterTotal(text, 'prometheus_notifications_dropped_total')).toBe(2);
    expect(counterTotal('x{a="1"} 1\nx{a="2"} 2.5\n', 'x')).toBe(3.5);
    expect(counterTotal('y 1\n', 'x')).toBeUndefined();
  });
});

describe('parity', () => {
  it('names what the baseline has and the target lacks', () => {
    const check = judgeParity(
      'rules-parity',
      'prometheus',
      'rules',
      ['alert A', 'record b', 'alert C'],
      ['alert A'],
    );
    expect(check.status).toBe('fail');
    expect(check.reason).toContain('2 of 3 rules of the baseline missing on the target: record b; alert C');
    expect(judgeParity('jobs-parity', 'prometheus', 'scrape jobs', ['a'], ['a', 'b']).status).toBe('pass');
    expect(ruleKeys([group('g', [rule('r', 'up')])])).toEqual(['record r']);
  });
});

describe('monitoring faults', () => {
  it('parses each, with the service it is about', () => {
    expect(parseFaultSpec('target:prometheus:target-down=api')).toMatchObject({
      ok: true,
      value: { fault: { kind: 'monitoring', defect: 'target-down', service: 'api' } },
    });
    expect(parseFaultSpec('target:alertmanager:receiver-down')).toMatchObject({
      ok: true,
      value: { fault: { kind: 'monitoring', defect: 'receiver-down' } },
    });
    expect(parseFaultSpec('target:prometheus:target-down')).toMatchObject({ ok: false });
    expect(parseFaultSpec('target:prometheus:rule-broken=x')).toMatchObject({ ok: false });
  });

  it('refuses a fault aimed at the wrong component or an unknown service', () => {
    const parsed = ['target:loki:rule-broken', 'target:prometheus:target-down=nope'].map((t) => {
      const r = parseFaultSpec(t);
      if (!r.ok) throw new Error(r.error);
      return r.value;
    });
    const problems = validateFaultTargets(parsed, ['target'], ['loki', 'prometheus', 'api']);
    expect(problems[0]).toContain('rule-broken is a fault of prometheus');
    expect(problems[1]).toContain('unknown service "nope"');
  });
});
