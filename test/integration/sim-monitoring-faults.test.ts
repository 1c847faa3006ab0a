// The simulator's monitoring stand-ins under the monitoring faults, read by the monitoring suite as
// `cutover run` against `cutover sim` would: healthy on the baseline (every service scraped, rules healthy,
// the synthetic alert delivered to the receiver its annotation names, a log line per service), and on the
// target each fault failing its check by name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../sim/index.js';
import { validateConfig } from '../../src/config/load.js';
import { type FaultSpec, parseFaultSpec } from '../../src/core/faults.js';
import type { CheckResult } from '../../src/core/model.js';
import { monitoringSuite } from '../../src/suites/monitoring/run.js';
import type { SuiteContext } from '../../src/suites/suite.js';

const SERVICES = ['prometheus', 'alertmanager', 'grafana', 'loki', 'rentguy-api'] as const;
const FAULTS = [
  'target:prometheus:target-down=rentguy-api',
  'target:prometheus:rule-broken',
  'target:prometheus:rule-selects-nothing',
  'target:alertmanager:receiver-down',
  'target:loki:no-logs=rentguy-api',
].map((text): FaultSpec => {
  const parsed = parseFaultSpec(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
});

describe('the monitoring stand-ins under the monitoring faults', () => {
  let sim: RunningSimulator;
  const checks: CheckResult[] = [];

  beforeAll(async () => {
    sim = await startSimulator({
      listeners: ['baseline', 'target'].flatMap((environment) =>
        SERVICES.map((service) => ({
          environment,
          service,
          host: '127.0.0.1',
          port: 0,
        })),
      ),
      faults: FAULTS,
    });
    const urls = (environment: string) =>
      Object.fromEntries(
        sim.endpoints.filter((e) => e.environment === environment).map((e) => [e.service, { url: e.url }]),
      );
    const health = { path: '/-/ready' };
    const config = validateConfig(
      {
        project: 'p',
        environments: {
          baseline: { kind: 'compose', composeFile: 'docker-compose.yml', services: urls('baseline') },
          target: { kind: 'kubernetes', context: 'c', namespaces: ['n'], services: urls('target') },
        },
        services: Object.fromEntries(SERVICES.map((s) => [s, { tier: 'monitoring', phase: 2, health }])),
        monitoring: { alert: { receiver: { port: 0 }, deliveryTimeoutMs: 1500, resolveTimeoutMs: 1500 } },
      },
      'cutover.config.ts',
      '/tmp',
    );
    const ctx: SuiteContext = {
      config,
      environments: ['baseline', 'target'],
      services: Object.keys(config.services),
      runId: 'run-sim',
      now: () => new Date(),
      faults: [],
      env: {},
      options: {},
      log: () => {},
      check: (c) => checks.push(c),
      evidence: () => {},
    };
    await monitoringSuite.run(ctx, await monitoringSuite.plan(ctx));
  }, 30_000);

  afterAll(async () => {
    await sim?.stop();
  });

  it('passes every check on the healthy side', () => {
    const baseline = checks.filter((c) => c.environment === 'baseline');
    expect(baseline.length).toBeGreaterThan(15);
    expect(
      baseline.filter((c) => c.status !== 'pass').map((c) => `${c.service} ${c.check}: ${c.reason}`),
    ).toEqual([]);
  });

  it('fails each fault’s check on the target, naming its cause', () => {
    const failed = checks
      .filter((c) => c.environment === 'target' && c.status === 'fail')
      .map((c) => `${c.service} ${c.check}: ${c.reason}`);
    const has = (text: RegExp) =>
      expect(
        failed.find((f) => text.test(f)),
        failed.join('\n'),
      ).toBeDefined();
    has(/^rentguy-api target-up: .*\{job="rentguy-api"\} down: .*connection refused/);
    has(/^prometheus targets-down: .*job rentguy-api/);
    has(/^prometheus rules-healthy: .*job:up:broken .*many-to-many/);
    has(/^prometheus rules-select-series: .*RequestsStopped .*`http_request_totl`/);
    has(/^alertmanager alert-fires: .*no firing notification/);
    has(/^rentguy-api recent-logs: no log line of rentguy-api/);
    expect(failed).toHaveLength(6);
  });
});
