// Which environments and services a run selected (`--env`, `--service`), in the order suites visit them,
// and the certificates an environment trusts: what every suite's plan starts from.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import { UserError } from '../core/errors.js';

export interface EnvironmentSelection {
  /** Environment names to run, in order; default: all, baseline first. */
  environments?: readonly string[];
  services?: readonly string[];
}

export function selectedEnvironments(config: ResolvedConfig, selection: EnvironmentSelection = {}): string[] {
  const all = Object.keys(config.environments).sort((a, b) => rank(a) - rank(b));
  if (!selection.environments || selection.environments.length === 0) return all;
  for (const name of selection.environments) {
    if (!config.environments[name])
      throw new UserError(`--env ${name}: unknown environment; known: ${all.join(', ')}`);
  }
  return all.filter((n) => selection.environments!.includes(n));
}

function rank(env: string): number {
  return env === 'baseline' ? 0 : env === 'target' ? 1 : 2;
}

export function selectedServices(config: ResolvedConfig, selection: EnvironmentSelection = {}): string[] {
  const all = Object.keys(config.services);
  if (!selection.services || selection.services.length === 0) return all;
  for (const id of selection.services) {
    if (!config.services[id])
      throw new UserError(`--service ${id}: unknown service; known: ${all.join(', ')}`);
  }
  return all.filter((id) => selection.services!.includes(id));
}

/** The extra CA certificates an environment trusts (`tls.caFile`), read once for the suites. */
export function readCa(config: ResolvedConfig, env: string, caFile: string | undefined): string | undefined {
  if (!caFile) return undefined;
  const file = resolve(config.rootDir, caFile);
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(
      `environments.${env}.tls.caFile: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
}
