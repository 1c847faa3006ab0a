// The smoke suite's plan: every service of every selected environment, at its URL there, with its health
// rule, host pins and trusted certificates. Printable before anything is sent.
import type { ResolvedConfig } from '../../config/load.js';
import type { PinMap } from '../../runners/http/pinning.js';
import { type EnvironmentSelection, readCa, selectedEnvironments, selectedServices } from '../selection.js';
import type { HealthSpec } from './define.js';

export interface SmokeTarget {
  environment: string;
  service: string;
  /** Base URL of the service in this environment. */
  url: string;
  health: HealthSpec;
  pins: PinMap;
  ca?: string | Buffer;
}

/** What one service in one environment is asked, in this order. */
export const SMOKE_CHECKS = ['reachable', 'status', 'content-type', 'health', 'tls', 'latency'] as const;

export function planSmoke(config: ResolvedConfig, selection: EnvironmentSelection = {}): SmokeTarget[] {
  const services = selectedServices(config, selection);
  const targets: SmokeTarget[] = [];
  for (const name of selectedEnvironments(config, selection)) {
    const env = config.environments[name]!;
    const ca = readCa(config, name, env.tls.caFile);
    for (const id of services) {
      const svc = env.services[id];
      if (!svc) continue;
      targets.push({
        environment: name,
        service: id,
        url: svc.url,
        health: config.services[id]!.health,
        pins: env.resolve,
        ...(ca ? { ca } : {}),
      });
    }
  }
  return targets;
}
