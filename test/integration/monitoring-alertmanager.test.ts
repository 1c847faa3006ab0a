// The Alertmanager client and the webhook receiver against a real Alertmanager 0.25 (Debian's, started with
// a real Prometheus by test/helpers/monitoring-stack.ts and routed to the receiver), against loopback posts,
// and against the simulator's stand-in. (A test that starts servers: it moves to test/integration/ with the
// layout refactor.)
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../sim/index.js';
import type { ApiOutcome } from '../../src/core/monitoring/api-outcome.js';
import { AlertmanagerClient } from '../../src/runners/alertmanager/client.js';
import {
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../src/runners/alertmanager/webhook-receiver.js';
import { type MonitoringStack, startMonitoringStack } from '../helpers/monitoring-stack.js';

const WATCHDOG_RULES = `
groups:
  - name: meta
    rules:
      - alert: Watchdog
        expr: vector(1)
        labels: { severity: none }
        annotations: { summary: An alert that should always be firing. }
`;

/** Alertmanager's repeat_interval in this stack: the Watchdog must reach the receiver at least this often. */
const REPEAT_MS = 2000;
const GROUP_INTERVAL_MS = 1000;

function value<T>(outcome: ApiOutcome<T>): T {
  if (!outcome.ok) throw new Error(outcome.failure.message);
  return outcome.value;
}

describe('Alertmanager end to end, with a real Alertmanager and Prometheus', () => {
  let receiver: WebhookReceiver;
  let stack: MonitoringStack;
  let am: AlertmanagerClient;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    stack = await startMonitoringStack({
      webhookUrl: receiver.url,
      rules: { 'meta.yml': WATCHDOG_RULES },
      route: { groupInterval: `${GROUP_INTERVAL_MS / 1000}s`, repeatInterval: `${REPEAT_MS / 1000}s` },
    });
    am = new AlertmanagerClient({ url: stack.alertmanagerUrl! }, { env: {} });
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  it('reads readiness, status and receivers', async () => {
    expect(await am.ready()).toMatchObject({ ok: true, value: 'OK' });
    const status = value(await am.status());
    expect(status).toMatchObject({ clusterStatus: 'disabled', peers: [], version: '0.25.0' });
    expect(status.config).toContain(receiver.url);
    expect(value(await am.receivers()).sort()).toEqual(['drop', 'webhook']);
  });

  it('delivers a synthetic alert posted through the v2 API to the receiver, then its resolution', async () => {
    const labels = { alertname: 'CutoverSmokeTest', run_id: randomUUID() };
    expect(
      await am.postAlerts([{ labels, annotations: { summary: 'end-to-end alerting test' } }]),
    ).toMatchObject({
      ok: true,
    });
    const firing = await receiver.awaitAlert(labels, 'firing', { timeoutMs: 10_000 });
    if (!firing.ok) throw new Error(firing.reason);
    expect(firing.alert).toMatchObject({
      labels,
      annotations: { summary: 'end-to-end alerting test' },
      endsAtMs: undefined,
    });
    expect(firing.notification.userAgent).toBe('Alertmanager/0.25.0');
    expect(firing.notification.payload.receiver).toBe('webhook');

    const held = value(await am.alerts({ labels: { run_id: labels.run_id } }));
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({
      labels,
      state: 'active',
      receivers: ['webhook'],
      fingerprint: firing.alert.fingerprint,
    });

    const resolvedAt = Date.now();
    expect(await am.resolveAlerts([{ labels }], resolvedAt)).toMatchObject({ ok: true });
    const resolved = await receiver.awaitAlert(labels, 'resolved', {
      timeoutMs: 10_000,
      afterSeq: firing.notification.seq,
    });
    if (!resolved.ok) throw new Error(resolved.reason);
    expect(resolved.alert.endsAtMs).toBeGreaterThanOrEqual(Math.floor(resolvedAt / 1000) * 1000);
    // A resolved alert drops out of the v2 list.
    expect(value(await am.alerts({ labels: { run_id: labels.run_id } }))).toEqual([]);
  });

  it('sees the Watchdog at the receiver again within its repeat interval', async () => {
    const watchdog = { alertname: 'Watchdog' };
    const first = await receiver.awaitAlert(watchdog, 'firing', { timeoutMs: 15_000 });
    if (!first.ok) throw new Error(first.reason);
    const slack = GROUP_INTERVAL_MS + 1500;
    const again = await receiver.awaitAlert(watchdog, 'firing', {
      timeoutMs: REPEAT_MS + slack,
      afterSeq: first.notification.seq,
    });
    if (!again.ok) throw new Error(again.reason);
    expect(again.notification.receivedAtMs - first.notification.receivedAtMs).toBeLessThanOrEqual(
      REPEAT_MS + slack,
    );
    const [held] = value(await am.alerts({ labels: watchdog, receiver: 'web.*' }));
    expect(held).toMatchObject({ labels: { alertname: 'Watchdog', severity: 'none' }, state: 'active' });
    expect(held?.generatorURL).toContain('/graph?g0.expr=vector%281%29');
  });

  it('returns refused requests as failures in Alertmanager words', async () => {
    const empty = await am.postAlerts([{ labels: {} }]);
    expect(empty).toMatchObject({
      ok: false,
      failure: { kind: 'api-error', status: 400, detail: 'at least one label pair required' },
    });
    const badMatcher = await am.alerts({ matchers: ['alertname=~"Smo'] });
    expect(badMatcher).toMatchObject({ ok: false, failure: { kind: 'api-error', status: 400 } });
    expect(!badMatcher.ok && badMatcher.failure.message).toContain(
      'matcher value contains unescaped double quote',
    );
    expect(await am.alerts({ labels: { 'not-a-label': 'x' } })).toMatchObject({
      ok: false,
      failure: { kind: 'setup' },
    });
  });
});

describe('the webhook receiver', () => {
  let receiver: WebhookReceiver;
  afterAll(() => receiver?.stop());

  const payload = (status: 'firing' | 'resolved', labels: Record<string, string>) => ({
    receiver: 'webhook',
    status,
    alerts: [
      {
        status,
        labels,
        annotations: {},
        startsAt: '2026-12-06T23:57:25.853Z',
        endsAt: status === 'firing' ? '0001-01-01T00:00:00Z' : '2026-12-06T23:58:00Z',
        generatorURL: '',
        fingerprint: '2fc7e7b77bea4ef1',
      },
    ],
    groupLabels: {},
    commonLabels: labels,
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    version: '4',
    groupKey: '{}:{}',
    truncatedAlerts: 0,
  });
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('records what is not a payload as rejected and says what did arrive when an alert does not', async () => {
    receiver = await startWebhookReceiver({ bearerToken: 'hook-token-123' });
    expect(receiver.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/alerts$/);
    const auth = { authorization: 'Bearer hook-token-123' };
    expect((await post(receiver.url, 'not json', auth)).status).toBe(400);
    expect(
      (await post(receiver.url, { ...payload('firing', { alertname: 'X' }), version: '3' }, auth)).status,
    ).toBe(400);
    expect((await post(receiver.url, payload('firing', { alertname: 'X' }))).status).toBe(401);
    expect((await post(receiver.url, payload('firing', { alertname: 'Other' }), auth)).status).toBe(200);
    expect(receiver.rejected().map((r) => r.status)).toEqual([400, 400, 401]);
    expect(receiver.rejected()[1]?.reason).toContain('version');

    const missing = await receiver.awaitAlert({ alertname: 'Expected' }, 'firing', { timeoutMs: 300 });
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.reason).toMatch(
      /^no firing notification for \{alertname="Expected"\} within 300 ms at http:.*: 1 notification\(s\) arrived, with \{alertname="Other"\} firing; 3 post\(s\) rejected, the last: a post without the expected bearer token$/,
    );
  });

  it('wakes a waiter when its alert arrives, and only for the status it waits for', async () => {
    const labels = { alertname: 'Later', run_id: 'r1' };
    const waiting = receiver.awaitAlert(labels, 'resolved', { timeoutMs: 5000 });
    const auth = { authorization: 'Bearer hook-token-123' };
    await post(receiver.url, payload('firing', labels), auth);
    await post(receiver.url, payload('resolved', { ...labels, extra: 'label' }), auth);
    const arrival = await waiting;
    expect(arrival).toMatchObject({
      ok: true,
      alert: { status: 'resolved', labels: { ...labels, extra: 'label' } },
    });
    expect(arrival.ok && arrival.alert.endsAtMs).toBe(Date.parse('2026-12-06T23:58:00Z'));
  });
});

describe('the Alertmanager client against the simulator stand-in', () => {
  let sim: RunningSimulator;
  let am: AlertmanagerClient;
  beforeAll(async () => {
    sim = await startSimulator({
      listeners: [{ environment: 'target', service: 'alertmanager', host: '127.0.0.1', port: 0 }],
    });
    am = new AlertmanagerClient({ url: sim.endpoints[0]!.url }, { env: {} });
  });
  afterAll(() => sim?.stop());

  it('posts, finds and resolves an alert as on the real one', async () => {
    expect(await am.ready()).toMatchObject({ ok: true, value: 'OK' });
    expect(value(await am.status()).clusterStatus).toBe('ready');
    expect(value(await am.receivers())).toEqual(['default']);
    const labels = { alertname: 'CutoverSmokeTest', run_id: 'sim-1' };
    expect(await am.postAlerts([{ labels, generatorURL: 'http://cutover/run/sim-1' }])).toMatchObject({
      ok: true,
    });
    const [held] = value(await am.alerts({ labels: { run_id: 'sim-1' } }));
    expect(held).toMatchObject({ labels, state: 'active', generatorURL: 'http://cutover/run/sim-1' });
    // Without endsAt, Alertmanager lets an alert run for resolve_timeout after its last update.
    expect(held!.endsAtMs! - held!.updatedAtMs!).toBe(5 * 60_000);
    expect(value(await am.alerts({ matchers: ['alertname=~"Cutover.*"', 'run_id!="other"'] }))).toHaveLength(
      1,
    );
    expect(
      value(await am.alerts({ matchers: ['alertname!~"Cutover.*"'] })).map((a) => a.labels.alertname),
    ).toEqual(['Watchdog']);
    expect(await am.resolveAlerts([{ labels }])).toMatchObject({ ok: true });
    expect(value(await am.alerts({ labels: { run_id: 'sim-1' } }))).toEqual([]);
  });

  it('refuses in the formats Alertmanager uses', async () => {
    expect(await am.postAlerts([{ labels: {} }])).toMatchObject({
      ok: false,
      failure: { kind: 'api-error', status: 400, detail: 'at least one label pair required' },
    });
    const missing = await fetch(`${sim.endpoints[0]!.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ annotations: {} }]),
    });
    expect(missing.status).toBe(422);
    expect(await missing.json()).toEqual({ code: 602, message: '0.labels in body is required' });
    const badMatcher = await am.alerts({ matchers: ['alertname=~"Smo'] });
    expect(!badMatcher.ok && badMatcher.failure).toMatchObject({
      kind: 'api-error',
      status: 400,
      detail: 'matcher value contains unescaped double quote: "Smo',
    });
  });
});
