// Parses and checks --fault flags against the config, so a typo fails before anything starts.

import { SIM_DATABASES } from '../../sim/databases.js';
import type { ResolvedConfig } from '../config/load.js';
import { UserError } from '../core/errors.js';
import { type FaultSpec, parseFaultSpec, validateFaultTargets } from '../core/faults.js';

export function parseFaults(
  flags: readonly string[],
  config: ResolvedConfig,
  environments: readonly string[],
): FaultSpec[] {
  const problems: string[] = [];
  const faults: FaultSpec[] = [];
  for (const text of flags) {
    const parsed = parseFaultSpec(text);
    if (parsed.ok) faults.push(parsed.value);
    else problems.push(parsed.error);
  }
  // Data faults name a database: the config's, or the simulator's own (the demo's).
  const databases = [...new Set([...Object.keys(config.data.databases), ...Object.keys(SIM_DATABASES)])];
  problems.push(...validateFaultTargets(faults, environments, Object.keys(config.services), databases));
  if (problems.length === 1) throw new UserError(problems[0]!);
  if (problems.length > 1)
    throw new UserError(`${problems.length} invalid --fault flags`, { details: problems });
  return faults;
}
