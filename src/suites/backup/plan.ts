// The backup suite's plan: on every selected kubernetes environment, read Velero's namespace and judge
// its storage locations, the schedules the config names (or every one there is) against their
// recovery-point objective, and, when the drill is on, restore each schedule's newest Completed backup
// into scratch namespaces; and for databases outside Velero, the logical drills (pg_dump, pg_restore into
// a scratch database, the data diff) on the environment each belongs to. Pure and printable; nothing is
// read until the suite runs. A drill naming an unknown environment, or a password variable that is not
// set, is refused here, before anything is sent.
import type { ResolvedConfig } from '../../config/load.js';
import type { VeleroExpectations } from '../../core/backup/assess.js';
import { UserError } from '../../core/errors.js';
import { parseAge } from '../../core/gates/parse.js';
import type { BackupOptions, LogicalDrillSettings, VerifySettings } from './define.js';

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
    /** Per schedule, the databases its restored copy is compared with, with their passwords. */
    verify: Record<string, VerifyPlan[]>;
  };
  /** Logical drills of the selected environments, each with the password read from its variable. */
  logical: { environment: string; drill: LogicalDrillSettings; password?: string }[];
  options: BackupOptions;
  /** Things the run says before it starts: a deprecated name in the config. */
  notes: string[];
}

export interface VerifyPlan {
  settings: VerifySettings;
  livePassword?: string;
  restoredPassword?: string;
}

/** The environments the suite records in: the clusters, then those of logical drills, once each. */
export function planEnvironments(plan: BackupPlan): string[] {
  return [...new Set([...plan.clusters, ...plan.logical.map((l) => l.environment)])];
}

export function planBackup(
  config: ResolvedConfig,
  environments: readonly string[],
  options: BackupOptions = {},
  env: Readonly<Record<string, string | undefined>> = {},
): BackupPlan {
  const s = config.backup;
  const kube = Object.keys(config.environments).find((e) => config.environments[e]?.kind === 'kubernetes');
  const problems: string[] = [];
  const notes: string[] = [];
  const vars = { ...env, ...options.env };
  /** The old `ssl` of a connection, noted where it is written. */
  const noteSsl = (c: { deprecatedSsl?: true }, where: string) => {
    if (c.deprecatedSsl)
      notes.push(
        `${where}.ssl is the old name of tls (the data suite's shape: { mode: 'verify-full', caFile } or { mode: 'require' }); it still works in this release — rename it when you next edit the config`,
      );
  };
  /** A password variable's value; a variable named but not set is a problem the user must fix. */
  const secret = (variable: string | undefined, where: string): string | undefined => {
    if (!variable) return undefined;
    const value = vars[variable];
    if (value === undefined)
      problems.push(`${where}.passwordEnv: the environment variable ${variable} is not set`);
    return value;
  };
  const drillOn = options.restoreDrill ?? s.restoreDrill.enabled;
  const verify: Record<string, VerifyPlan[]> = {};
  for (const [i, x] of s.schedules.entries())
    for (const [j, v] of x.verify.entries()) {
      noteSsl(v.live, `backup.schedules[${i}].verify[${j}].live`);
      noteSsl(v.restored, `backup.schedules[${i}].verify[${j}].restored`);
    }
  for (const [i, l] of s.logical.entries()) noteSsl(l.connection, `backup.logical[${i}].connection`);
  if (drillOn)
    s.schedules.forEach((x, i) => {
      const given = options.verify?.[x.schedule];
      verify[x.schedule] = (given ?? x.verify).map((v, j) => {
        const where = given
          ? `the ${x.schedule} databases to verify (${v.name})`
          : `backup.schedules[${i}].verify[${j}] (${v.name})`;
        const livePassword = secret(v.live.passwordEnv, `${where}.live`);
        const restoredPassword = secret(v.restored.passwordEnv, `${where}.restored`);
        return {
          settings: v,
          ...(livePassword !== undefined ? { livePassword } : {}),
          ...(restoredPassword !== undefined ? { restoredPassword } : {}),
        };
      });
    });
  const logical = s.logical.flatMap((drill, i) => {
    const where = `backup.logical[${i}] (${drill.name})`;
    const environment = drill.environment ?? kube;
    if (!environment || !config.environments[environment]) {
      problems.push(
        drill.environment
          ? `${where}.environment: unknown environment "${drill.environment}"; known: ${Object.keys(config.environments).join(', ')}`
          : `${where}: no kubernetes environment in the config; name the drill's environment`,
      );
      return [];
    }
    if (!environments.includes(environment)) return [];
    const password = secret(drill.connection.passwordEnv, `${where}.connection`);
    if (drill.connection.passwordEnv && password === undefined) return [];
    return [{ environment, drill, ...(password !== undefined ? { password } : {}) }];
  });
  if (problems.length === 1) throw new UserError(problems[0]!);
  if (problems.length > 1)
    throw new UserError(`${problems.length} problems in the backup section`, { details: problems });
  // The schema refused a duration parseAge cannot read, so these are numbers.
  const rpoMs = parseAge(s.rpo)!;
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
            verify,
          },
        }
      : {}),
    logical,
    options,
    notes,
  };
}

/**
 * The checks a plan will record, for the progress line: a storage location, and per schedule its state
 * and newest backup (and drill, and each database compared after it), once per service it covers.
 * Schedules found only when Velero is read count as one each.
 */
export function plannedBackupChecks(plan: BackupPlan): number {
  const perSchedule = plan.drill ? 3 : 2;
  const schedules = plan.expect.schedules.length
    ? plan.expect.schedules.reduce(
        (n, s) =>
          n + Math.max(1, s.covers.length) * (perSchedule + (plan.drill?.verify[s.schedule]?.length ?? 0)),
        0,
      )
    : perSchedule;
  const logical = plan.logical.reduce((n, l) => n + Math.max(1, l.drill.covers.length), 0);
  return plan.clusters.length * (Math.max(1, plan.expect.storageLocations.length) + schedules) + logical;
}
