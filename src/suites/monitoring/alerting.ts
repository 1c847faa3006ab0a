// The Alertmanager half of the monitoring suite for one environment: ready, then the alert path proven end
// to end through Cutover's webhook receiver — a synthetic alert posted through the v2 API that arrives
// firing and then resolved, or the platform's always-firing Watchdog seen arriving. The synthetic alert
// carries the run id and the environment, so two environments' Alertmanagers can share one receiver, and
// it ends on its own (endsAt) if Cutover dies before resolving it.
import { formatLabels, type Labels } from '../../core/monitoring/sample-value.js';
import { AlertmanagerClient } from '../../runners/alertmanager/client.js';
import type { WebhookReceiver } from '../../runners/alertmanager/webhook-receiver.js';
import type { ApiContext, ApiEndpoint } from '../../runners/http/api-client.js';
import type { MonitoringSettings } from './define.js';
import { type CheckDraft, couldNotCheck } from './evidence.js';
import { ALERT_CHECKS } from './plan.js';

export interface AlertPath {
  /** The running receiver, or why there is none (its port was taken). */
  receiver: WebhookReceiver | { unavailable: string };
  /** The URL Alertmanager must post to, for messages. */
  receiverUrl: string;
  deliveryTimeoutMs: number;
  resolveTimeoutMs: number;
}

const skipAll = (mode: MonitoringSettings['alert']['mode'], why: string) =>
  ALERT_CHECKS[mode].map((check) => couldNotCheck('alertmanager', check, why));

export async function checkAlertmanager(
  endpoint: ApiEndpoint,
  api: ApiContext,
  environment: string,
  runId: string,
  settings: MonitoringSettings['alert'],
  path: AlertPath,
  nowMs: () => number,
  emit: (check: CheckDraft) => void,
): Promise<void> {
  const am = new AlertmanagerClient(endpoint, api);
  const ready = await am.ready();
  if (!ready.ok) {
    emit(couldNotCheck('alertmanager', 'alertmanager-ready', ready.failure));
    for (const c of skipAll(settings.mode, ready.failure.message)) emit(c);
    return;
  }
  emit({ service: 'alertmanager', check: 'alertmanager-ready', status: 'pass', reason: `${am.name}: ready` });
  if (settings.mode === 'off') {
    emit({
      service: 'alertmanager',
      check: 'alert-path',
      status: 'skip',
      reason: 'not checked: monitoring.alert.mode is "off", so no alert was seen reaching a receiver',
    });
    return;
  }
  if ('unavailable' in path.receiver) {
    for (const c of skipAll(settings.mode, path.receiver.unavailable)) emit(c);
    return;
  }
  const receiver = path.receiver;
  const routeHint = `Alertmanager must route it to a webhook receiver posting to ${path.receiverUrl} (send_resolved: true)`;

  if (settings.mode === 'watchdog') {
    const watchdog = { ...settings.watchdogLabels, ...settings.watchdogEnvironmentLabels[environment] };
    const arrival = await receiver.awaitAlert(watchdog, 'firing', {
      timeoutMs: path.deliveryTimeoutMs,
    });
    emit(
      arrival.ok
        ? {
            service: 'alertmanager',
            check: 'watchdog-arrives',
            status: 'pass',
            reason: `${formatLabels(watchdog)} arrived firing from receiver "${arrival.notification.payload.receiver}"`,
          }
        : {
            service: 'alertmanager',
            check: 'watchdog-arrives',
            status: 'fail',
            reason: `the Watchdog did not arrive: ${arrival.reason}; ${routeHint}`,
          },
    );
    return;
  }

  const labels: Labels = { ...settings.labels, cutover_run: runId, cutover_environment: environment };
  const alert = {
    labels,
    annotations: {
      summary: `Cutover's synthetic alert for run ${runId} on ${environment}; it resolves itself`,
      // Where it is meant to arrive, for whoever reads it in Alertmanager (the simulator's stand-in routes by it).
      cutover_receiver: path.receiverUrl,
    },
    startsAtMs: nowMs(),
    // Ends on its own should Cutover die before resolving it.
    endsAtMs: nowMs() + path.deliveryTimeoutMs + path.resolveTimeoutMs,
  };
  const posted = await am.postAlerts([alert]);
  if (!posted.ok) {
    for (const c of skipAll('synthetic', `posting the synthetic alert failed: ${posted.failure.message}`))
      emit(c);
    return;
  }
  const firing = await receiver.awaitAlert(labels, 'firing', { timeoutMs: path.deliveryTimeoutMs });
  if (!firing.ok) {
    // Where Alertmanager routed it names the receiver that did not deliver.
    const held = await am.alerts({ labels });
    const routed =
      held.ok && held.value.length
        ? `Alertmanager holds it, routed to receiver(s) ${held.value[0]!.receivers.map((r) => `"${r}"`).join(', ')}, which did not deliver it`
        : held.ok
          ? 'Alertmanager does not hold it'
          : `Alertmanager's alerts could not be read: ${held.failure.message}`;
    emit({
      service: 'alertmanager',
      check: 'alert-fires',
      status: 'fail',
      reason: `the synthetic alert ${formatLabels(settings.labels)} was posted but ${firing.reason}; ${routed}; ${routeHint}`,
    });
    emit({
      service: 'alertmanager',
      check: 'alert-resolves',
      status: 'skip',
      reason: 'not checked: the alert never arrived firing',
    });
    await am.resolveAlerts([alert], nowMs());
    return;
  }
  const via = firing.notification.payload.receiver;
  emit({
    service: 'alertmanager',
    check: 'alert-fires',
    status: 'pass',
    reason: `the synthetic alert arrived firing through receiver "${via}" ${firing.notification.receivedAtMs - alert.startsAtMs} ms after it was posted`,
    data: { receiver: via, ms: firing.notification.receivedAtMs - alert.startsAtMs },
  });
  const resolvedAt = nowMs();
  const done = await am.resolveAlerts([alert], resolvedAt);
  if (!done.ok) {
    emit(
      couldNotCheck(
        'alertmanager',
        'alert-resolves',
        `resolving the synthetic alert failed: ${done.failure.message}`,
      ),
    );
    return;
  }
  const resolved = await receiver.awaitAlert(labels, 'resolved', {
    timeoutMs: path.resolveTimeoutMs,
    afterSeq: firing.notification.seq,
  });
  emit(
    resolved.ok
      ? {
          service: 'alertmanager',
          check: 'alert-resolves',
          status: 'pass',
          reason: `the resolved notification arrived ${resolved.notification.receivedAtMs - resolvedAt} ms after it was resolved`,
        }
      : {
          service: 'alertmanager',
          check: 'alert-resolves',
          status: 'fail',
          reason: `the synthetic alert arrived firing but ${resolved.reason} (is send_resolved on for receiver "${via}"?)`,
        },
  );
}
