// The backup suite's plan: on every selected kubernetes environment, read Velero's namespace and judge
// its storage locations, the schedules the config names (or every one there is) against their
// recovery-point objective, and, when the drill is on, restore each schedule's newest Completed backup
// into scratch namespaces. Pure and printable; nothing is read until the suite runs.
import type { ResolvedConfig } from '../../config/load.js';
import type { VeleroExpectations } from '../../core/backup/assess.js';
import { parseAge } from '../../core/gates/parse.js';
import type { BackupOptions } from './define.js';

export interface BackupPlan {
  /** Kubernetes environments whose Velero is read. */
  clusters: string[];
  namespace: string;
  expect: VeleroExpectations;
  drill?: {
    scratchPrefix: string;
    timeoutMs: number;
    pollMs: number;
    failOnWarnings: boolean;
    cleanUp: boolean;
  };
  options: BackupOptions;
}

export function planBackup(
  config: ResolvedConfig,
  environments: readonly string[],
  options: BackupOptions = {},
): BackupPlan {
  const s = config.backup;
  // The schema refused a duration parseAge cannot read, so these are numbers.
  const rpoMs = parseAge(s.rpo)!;
  const drillOn = options.restoreDrill ?? s.restoreDrill.enabled;
  return {
    clusters: environments.filter((e) => config.environments[e]?.kind === 'kubernetes'),
    namespace: s.namespace,
    expect: {
      rpoMs,
      storageLocations: s.storageLocations,
      schedules: s.schedules.map((x) => ({
        schedule: x.schedule,
        covers: x.covers,
        rpoMs: x.rpo ? parseAge(x.rpo)! : rpoMs,
      })),
    },
    ...(drillOn
      ? {
          drill: {
            scratchPrefix: s.restoreDrill.scratchPrefix,
            timeoutMs: s.restoreDrill.timeoutSeconds * 1000,
            pollMs: options.pollMs ?? 2000,
            failOnWarnings: s.restoreDrill.failOnWarnings,
            cleanUp: s.restoreDrill.cleanUp,
          },
        }
      : {}),
    options,
  };
}

/**
 * The checks a plan will record, for the progress line: a storage location, and per schedule its state
 * and newest backup (and drill), once per service it covers. Schedules found only when Velero is read
 * count as one each.
 */
export function plannedBackupChecks(plan: BackupPlan): number {
  const perSchedule = plan.drill ? 3 : 2;
  const schedules = plan.expect.schedules.length
    ? plan.expect.schedules.reduce((n, s) => n + Math.max(1, s.covers.length) * perSchedule, 0)
    : perSchedule;
  return plan.clusters.length * (Math.max(1, plan.expect.storageLocations.length) + schedules);
}
