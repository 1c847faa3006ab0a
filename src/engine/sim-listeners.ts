// Where the simulator must listen so that the config's URLs reach it: each service's host (after
// pinning) and port. Only loopback addresses are simulated: the demo never binds or sends elsewhere.
import { isIP } from 'node:net';
import type { ResolvedConfig } from '../config/load.js';
import { UserError } from '../core/errors.js';
import { pinnedAddress } from '../runners/http/pinning.js';

export interface ListenerSpec {
  environment: string;
  service: string;
  host: string;
  port: number;
  /** The URL clients use (the config's): a web frontend's sign-in redirects are built from it. */
  url: string;
}

export function isLoopback(address: string): boolean {
  return (isIP(address) === 4 && address.startsWith('127.')) || address === '::1';
}

export function simListeners(config: ResolvedConfig, environments: readonly string[]): ListenerSpec[] {
  const listeners: ListenerSpec[] = [];
  const problems: string[] = [];
  for (const name of environments) {
    const env = config.environments[name]!;
    for (const [service, { url }] of Object.entries(env.services)) {
      const u = new URL(url);
      const host = u.hostname.replace(/^\[|\]$/g, '');
      const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
      const address = pinnedAddress(env.resolve, host, port) ?? (host === 'localhost' ? '127.0.0.1' : host);
      if (!isLoopback(address)) {
        problems.push(
          `environments.${name}.services.${service}.url: ${url} is not a loopback address; the simulator only serves 127.0.0.0/8 and ::1`,
        );
        continue;
      }
      if (u.protocol === 'https:') {
        problems.push(
          `environments.${name}.services.${service}.url: the simulator serves plain HTTP only, got ${url}`,
        );
        continue;
      }
      listeners.push({ environment: name, service, host: address, port, url });
    }
  }
  if (problems.length > 0) throw new UserError('this config cannot be simulated', { details: problems });
  return listeners;
}
