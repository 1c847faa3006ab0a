// `cutover demo`'s databases: a real PostgreSQL per environment (Debian's, on free loopback ports in
// temporary folders; src/runners/postgres-server/), with different session defaults on purpose (the
// target's TimeZone, DateStyle, extra_float_digits, IntervalStyle and bytea_output are not the baseline's),
// RentGuy's, PSRA's and WPCS's databases seeded alike on both (sim/databases.ts), the data faults applied
// to the target's, a read-only `cutover` role (pg_read_all_data) the data suite signs in with, and a
// `sevensa_app` role the simulated APIs read and write their databases with (sim/db.ts). Never throws:
// without PostgreSQL the demo says so, the data suite records its databases as not compared, and the
// simulated APIs keep their state in memory.
import { randomBytes } from 'node:crypto';
import { dataFaultSql, SIM_DATABASES } from '../../sim/databases.js';
import type { SimDatabaseServer } from '../../sim/db.js';
import type { FaultSpec } from '../core/faults.js';
import {
  type PostgresServer,
  postgresUnavailable,
  runSql,
  startPostgresServer,
} from '../runners/postgres-server/index.js';
import type { DataDatabaseConfig, DataOptions } from '../suites/data/define.js';

/** The session defaults of each environment's server: they differ, and the comparison must not care. */
export const DEMO_PG_SETTINGS: Record<string, Record<string, string | number>> = {
  baseline: { TimeZone: 'UTC', DateStyle: 'ISO, MDY', extra_float_digits: 1 },
  target: {
    TimeZone: 'Europe/Amsterdam',
    DateStyle: 'SQL, DMY',
    extra_float_digits: 0,
    IntervalStyle: 'iso_8601',
    bytea_output: 'escape',
  },
};
const PASSWORD_ENV = 'CUTOVER_DEMO_PG_PASSWORD';

export interface DemoData {
  options: DataOptions;
  notes: string[];
  /** Per environment, its server as the simulated APIs reach it (the application role). */
  apps: Record<string, SimDatabaseServer>;
  /** Per environment, the server itself (the restore drill dumps and restores through it). */
  servers: Record<string, PostgresServer>;
  /** The variable holding the `cutover` role's password, and its value. */
  password: { env: string; value: string };
  stop(): Promise<void>;
}

const APP_ROLE = 'sevensa_app';

async function seed(
  server: PostgresServer,
  environment: string,
  faults: readonly FaultSpec[],
  password: string,
) {
  await runSql(
    server.connection,
    `CREATE ROLE cutover LOGIN PASSWORD '${password}'; GRANT pg_read_all_data TO cutover;
     CREATE ROLE ${APP_ROLE} LOGIN PASSWORD '${password}'; GRANT pg_read_all_data, pg_write_all_data TO ${APP_ROLE}`,
  );
  await Promise.all(
    Object.entries(SIM_DATABASES).map(async ([id, db]) => {
      const conn = server.connectionTo(db.database);
      await runSql(conn, db.seed);
      for (const f of faults)
        if (f.environment === environment && f.service === id && f.fault.kind === 'data')
          await runSql(conn, dataFaultSql(db, f.fault));
    }),
  );
}

export async function startDemoData(
  faults: readonly FaultSpec[],
  environments: readonly string[],
): Promise<DemoData> {
  const unavailable = postgresUnavailable();
  const password = randomBytes(12).toString('hex');
  const none = (note: string): DemoData => ({
    options: { databases: {} },
    notes: [note],
    apps: {},
    servers: {},
    password: { env: PASSWORD_ENV, value: password },
    stop: async () => {},
  });
  if (unavailable) return none(`Data parity is not compared: ${unavailable}`);
  const servers: Record<string, PostgresServer> = {};
  const stop = async () => void (await Promise.all(Object.values(servers).map((s) => s.stop())));
  try {
    await Promise.all(
      environments.map(async (env) => {
        const server = await startPostgresServer({
          settings: DEMO_PG_SETTINGS[env] ?? {},
          databases: Object.values(SIM_DATABASES).map((d) => d.database),
        });
        servers[env] = server;
        await seed(server, env, faults, password);
      }),
    );
  } catch (error) {
    await stop();
    return none(
      `Data parity is not compared: PostgreSQL did not start (${(error as Error).message.split('\n')[0]})`,
    );
  }
  const databases: Record<string, DataDatabaseConfig> = Object.fromEntries(
    Object.entries(SIM_DATABASES).map(([id, db]) => [
      id,
      {
        service: db.service,
        environments: Object.fromEntries(
          Object.entries(servers).map(([env, s]) => [
            env,
            {
              host: s.connection.host,
              port: s.connection.port,
              database: db.database,
              user: 'cutover',
              passwordEnv: PASSWORD_ENV,
              tls: { mode: 'disable' as const },
            },
          ]),
        ),
      },
    ]),
  );
  const apps = Object.fromEntries(
    Object.entries(servers).map(([env, s]) => [
      env,
      { host: s.connection.host, port: s.connection.port, user: APP_ROLE, password },
    ]),
  );
  return {
    options: { databases, env: { [PASSWORD_ENV]: password } },
    notes: [],
    apps,
    servers,
    password: { env: PASSWORD_ENV, value: password },
    stop,
  };
}
