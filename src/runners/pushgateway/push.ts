// Sends a run's summary (core/push-metrics.ts) to a Prometheus Pushgateway through prom-client, in a
// registry of its own — never prom-client's default one, which a program embedding Cutover may fill
// with its own metrics. One PUT per run: a push replaces its group's metrics, so a gate that is no
// longer evaluated does not linger in the group with last week's verdict.
import { Gauge, Pushgateway, Registry } from 'prom-client';
import type { PushMetric } from '../../core/push-metrics.js';
import { shownUrl } from '../../core/shown-url.js';

export const PUSH_JOB = 'cutover';

export interface PushTarget {
  /** The Pushgateway's URL; it may carry basic-auth credentials (`https://user:token@host`). */
  url: string;
  /** The grouping key after `job` (project, selection): which group this push replaces. */
  groupings: Record<string, string>;
  timeoutMs?: number;
}

export function registryOf(metrics: readonly PushMetric[]): Registry {
  const registry = new Registry();
  for (const m of metrics) {
    if (m.samples.length === 0) continue;
    const gauge = new Gauge({
      name: m.name,
      help: m.help,
      labelNames: [...m.labelNames],
      registers: [registry],
    });
    for (const s of m.samples) gauge.set(s.labels, s.value);
  }
  return registry;
}

/** Credentials in the URL, removed from an error's text: an error may quote the URL it failed on. */
function withoutSecrets(text: string, url: string): string {
  let out = text;
  try {
    const u = new URL(url);
    for (const secret of [u.username, u.password, decodeURIComponent(u.password), u.href])
      if (secret) out = out.split(secret).join('…');
  } catch {
    // An unparsable URL was refused before any push; nothing of it to hide here.
  }
  return out;
}

/** Pushes; rejects with an Error whose message names the Pushgateway by origin only. */
export async function pushToGateway(target: PushTarget, metrics: readonly PushMetric[]): Promise<void> {
  const gateway = new Pushgateway(target.url, { timeout: target.timeoutMs ?? 10_000 }, registryOf(metrics));
  try {
    await gateway.push({ jobName: PUSH_JOB, groupings: target.groupings });
  } catch (error) {
    throw new Error(
      `the Pushgateway at ${shownUrl(target.url)} did not take the push: ${withoutSecrets((error as Error).message, target.url)}`,
    );
  }
}
