// What the data suite will compare: per configured database, its baseline and target connection (the
// password read from its environment variable now, so a missing one is recorded, not discovered later),
// the tables, and the comparison's limits. Pure apart from reading a CA file named in the config.
import type { DatabaseConnectionConfig, DataDatabaseConfig, DataOptions, DataSettings } from './define.js';

export interface PlannedConnection {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  ssl?: boolean | { rejectUnauthorized: boolean; ca?: string; servername?: string };
}

export interface DataDatabasePlan {
  id: string;
  service: string;
  baseline?: PlannedConnection;
  target?: PlannedConnection;
  tables?: string[];
  /** Why this database cannot be compared (a missing environment, password or CA file). */
  problem?: string;
}

export interface DataPlan {
  baseline: string;
  target: string;
  databases: DataDatabasePlan[];
  settings: DataSettings;
}

/**
 * The node-postgres connection of a configured one: the password from its variable, the TLS options
 * from `tls` (the CA file's text read by `readCa`). A string says why it cannot be built. The backup
 * suite's drills build theirs here too.
 */
export function connectionOf(
  c: DatabaseConnectionConfig,
  env: Readonly<Record<string, string | undefined>>,
  readCa: (file: string) => string,
): PlannedConnection | string {
  let password: string | undefined;
  if (c.passwordEnv) {
    password = env[c.passwordEnv];
    if (password === undefined) return `the password variable ${c.passwordEnv} is not set`;
  }
  let ssl: PlannedConnection['ssl'];
  if (c.tls.mode !== 'disable') {
    let ca: string | undefined;
    if (c.tls.caFile) {
      try {
        ca = readCa(c.tls.caFile);
      } catch (error) {
        return `the CA file ${c.tls.caFile} could not be read: ${(error as Error).message}`;
      }
    }
    ssl = {
      rejectUnauthorized: c.tls.mode === 'verify-full',
      ...(ca ? { ca } : {}),
      ...(c.tls.servername ? { servername: c.tls.servername } : {}),
    };
  }
  return {
    host: c.host,
    port: c.port,
    database: c.database,
    user: c.user,
    ...(password !== undefined ? { password } : {}),
    ...(ssl ? { ssl } : {}),
  };
}

export function planData(input: {
  settings: DataSettings;
  environments: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  options?: DataOptions;
  readCa: (file: string) => string;
}): DataPlan {
  const baseline = input.environments[0] ?? 'baseline';
  const target = input.environments.find((e) => e !== baseline) ?? 'target';
  const env = { ...input.env, ...input.options?.env };
  const configured: Record<string, DataDatabaseConfig> = input.options?.databases ?? input.settings.databases;
  const databases = Object.entries(configured).map(([id, db]): DataDatabasePlan => {
    const tables = input.options?.tables?.length ? input.options.tables : db.tables;
    const base: DataDatabasePlan = { id, service: db.service, ...(tables ? { tables } : {}) };
    const sides: Array<[string, 'baseline' | 'target']> = [
      [baseline, 'baseline'],
      [target, 'target'],
    ];
    for (const [envName, side] of sides) {
      const c = db.environments[envName];
      if (!c)
        return {
          ...base,
          problem: `no connection for environment ${envName} (data.databases.${id}.environments.${envName})`,
        };
      const planned = connectionOf(c, env, input.readCa);
      if (typeof planned === 'string') return { ...base, problem: `${envName}: ${planned}` };
      base[side] = planned;
    }
    return base;
  });
  return { baseline, target, databases, settings: input.settings };
}

/** One line per database, for a dry run; never a password. */
export function describeDataPlan(plan: DataPlan): string[] {
  const label = (c: PlannedConnection | undefined) =>
    c ? `${c.user}@${c.host}:${c.port}/${c.database}` : '?';
  return plan.databases.map((d) =>
    d.problem
      ? `${d.id} (${d.service}): cannot compare — ${d.problem}`
      : `${d.id} (${d.service}): ${label(d.baseline)} → ${label(d.target)}${d.tables ? `, tables ${d.tables.join(', ')}` : ''}`,
  );
}

/** The comparison's limits for one planned database, as the suite and `cutover data diff` both pass them. */
export function diffLimits(db: DataDatabasePlan, s: DataSettings) {
  return {
    ...(db.tables ? { tables: db.tables } : {}),
    statementTimeoutMs: s.statementTimeoutMs,
    ...(s.maxQueriesPerSecond > 0 ? { maxQueriesPerSecond: s.maxQueriesPerSecond } : {}),
    maxConcurrent: s.maxConcurrent,
    bisection: s.bisection,
    maxRowsReported: s.maxRowsReported,
  };
}
