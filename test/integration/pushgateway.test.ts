// `--push URL`'s runner against Debian's real Pushgateway 1.5, scraped by a real Prometheus 2.42
// (honor_labels, as a Pushgateway is scraped): the pushed series arrive with their grouping key, a new
// push replaces its own group and no other, and every panel of the shipped migration dashboard
// (deploy/grafana/cutover-migration.json) returns data from that Prometheus.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateResult } from '../../src/core/model.js';
import { readEach } from '../../src/core/monitoring/reading.js';
import { type PushableRun, pushMetrics } from '../../src/core/push-metrics.js';
import { PrometheusClient } from '../../src/runners/prometheus/client.js';
import { pushToGateway } from '../../src/runners/pushgateway/push.js';
import { type MonitoringStack, startMonitoringStack } from '../helpers/monitoring-stack.js';
import { freePort, ROOT } from '../helpers/project.js';
import { pushgatewayMissing, type RunningPushgateway, startPushgateway } from '../helpers/pushgateway.js';

const DASHBOARD = join(ROOT, 'deploy/grafana/cutover-migration.json');
const missing = pushgatewayMissing();

const gate = (
  id: string,
  phase: number | undefined,
  verdict: GateResult['verdict'],
  extra: Partial<GateResult> = {},
): GateResult => ({
  id,
  title: `gate ${id}`,
  verdict,
  summary: '',
  ...(phase !== undefined ? { phase } : {}),
  criteria: [
    {
      id: 'perf.median',
      title: 'median',
      status: verdict === 'NO-GO' ? 'FAIL' : verdict === 'GO' ? 'PASS' : 'INCONCLUSIVE',
      reason: 'r',
      blocking: true,
      successCriterion: 2,
      value: 12.5,
      limit: 13.3,
      unit: 'ms',
    },
    {
      id: 'docs',
      title: 'docs',
      status: 'INCONCLUSIVE',
      reason: 'no sign-off',
      blocking: true,
      successCriterion: 6,
      missing: 'sign-off',
    },
  ],
  ...extra,
});

const at = new Date().toISOString();
const gateRun: PushableRun = {
  command: 'gate --phase 5',
  startedAt: at,
  finishedAt: at,
  verdict: 'INCONCLUSIVE',
  gates: [gate('5', 5, 'INCONCLUSIVE'), gate('old-gate', 5, 'GO')],
};
const nightlyRun: PushableRun = {
  command: 'run',
  startedAt: at,
  finishedAt: at,
  verdict: 'NO-GO',
  gates: [gate('smoke', undefined, 'GO'), gate('3-rentguy', 3, 'NO-GO', { wave: 'rentguy' })],
};

describe.skipIf(missing !== undefined)(
  `--push to a real Pushgateway${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let gateway: RunningPushgateway;
    let stack: MonitoringStack;
    let prometheus: PrometheusClient;

    const series = async (expr: string) => {
      const answer = await prometheus.query(expr);
      if (!answer.ok) throw new Error(answer.failure.message);
      return readEach(answer.value);
    };

    beforeAll(async () => {
      gateway = await startPushgateway();
      await pushToGateway(
        { url: gateway.url, groupings: { project: 'demo', selection: 'gate-5' } },
        pushMetrics(gateRun),
      );
      // The same group pushed again without `old-gate`: a PUT replaces the group's metrics.
      await pushToGateway(
        { url: gateway.url, groupings: { project: 'demo', selection: 'gate-5' } },
        pushMetrics({ ...gateRun, gates: [gate('5', 5, 'INCONCLUSIVE')] }),
      );
      await pushToGateway(
        { url: gateway.url, groupings: { project: 'demo', selection: 'run' } },
        pushMetrics(nightlyRun),
      );
      stack = await startMonitoringStack({
        scrapeJobs: [{ job: 'pushgateway', targets: [gateway.host], honorLabels: true }],
        alertmanager: false,
      });
      prometheus = new PrometheusClient({ url: stack.prometheusUrl }, { env: {} });
      const deadline = performance.now() + 20_000;
      while (performance.now() < deadline) {
        if ((await series('cutover_run_timestamp_seconds{job="cutover"}')).length >= 2) break;
        await new Promise((r) => setTimeout(r, 300));
      }
    }, 60_000);

    afterAll(async () => {
      await stack?.stop();
      await gateway?.stop();
    });

    it('arrives in Prometheus with the grouping key: one series per state, 1 for the current one', async () => {
      const current = await series('cutover_gate_verdict{job="cutover",project="demo"} == 1');
      const by = current.map((s) => `${s.labels.selection} ${s.labels.gate} ${s.labels.verdict}`).sort();
      expect(by).toEqual(['gate-5 5 INCONCLUSIVE', 'run 3-rentguy NO-GO', 'run smoke GO']);
      const states = await series('cutover_gate_verdict{job="cutover",selection="run",gate="3-rentguy"}');
      expect(states.map((s) => s.labels.verdict).sort()).toEqual(['GO', 'INCONCLUSIVE', 'NO-GO']);
      expect(states.find((s) => s.labels.verdict === 'NO-GO')?.labels.wave).toBe('rentguy');
      const value = await series(
        'cutover_criterion_value{selection="run",gate="3-rentguy",criterion="perf.median"}',
      );
      expect(value[0]?.reading).toMatchObject({ state: 'value', value: 12.5 });
      const docs = await series('cutover_success_criterion_state{selection="gate-5",criterion="6"} == 1');
      expect(docs.map((s) => s.labels.state)).toEqual(['no-evidence']);
    });

    it('a push replaces its own group only', async () => {
      expect(await series('cutover_gate_verdict{gate="old-gate"}')).toEqual([]);
      expect(
        (await series('cutover_run_verdict{verdict="NO-GO"} == 1')).map((s) => s.labels.selection),
      ).toEqual(['run']);
    });

    it('feeds every panel of the shipped migration dashboard', async () => {
      const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
        panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
        templating: { list: Array<{ name: string; definition?: string }> };
      };
      const empty: string[] = [];
      let queries = 0;
      for (const panel of dashboard.panels)
        for (const target of panel.targets) {
          const expr = target.expr.replaceAll('$project', '.*').replaceAll('$selection', '.*');
          queries++;
          const answer = await prometheus.query(expr);
          if (!answer.ok) empty.push(`${panel.title}: ${expr}: ${answer.failure.message}`);
          else if (readEach(answer.value).length === 0) empty.push(`${panel.title}: ${expr}: no data`);
        }
      expect(empty).toEqual([]);
      expect(queries).toBeGreaterThanOrEqual(dashboard.panels.length);
      // The variables' label_values() read a metric that is there, with the labels they name.
      const stamps = await series('cutover_run_timestamp_seconds');
      expect(new Set(stamps.map((s) => s.labels.project))).toEqual(new Set(['demo']));
      expect(dashboard.templating.list.map((v) => v.name)).toEqual(['datasource', 'project', 'selection']);
    });

    it('an unreachable Pushgateway is an error naming its origin, never the credentials', async () => {
      const port = await freePort();
      const error = await pushToGateway(
        {
          url: `http://cutover:s3cret-token@127.0.0.1:${port}/`,
          groupings: { project: 'demo', selection: 'x' },
          timeoutMs: 2000,
        },
        pushMetrics(nightlyRun),
      ).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toContain(
        `the Pushgateway at http://127.0.0.1:${port} did not take the push`,
      );
      expect((error as Error).message).not.toMatch(/s3cret|cutover:/);
    });
  },
);
