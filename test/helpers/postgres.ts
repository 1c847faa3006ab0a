// Real PostgreSQL servers for tests: the product's launcher (src/runners/postgres-server/), on ports from
// this test worker's slice, with the binaries in CUTOVER_PG_BIN when set. `startPostgresPair` starts the
// baseline and target servers of a test file at once, with different session defaults on purpose (a
// comparison that is only right when both servers agree on TimeZone or DateStyle is wrong).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  type PostgresConnection,
  type PostgresServer,
  type PostgresServerOptions,
  startPostgresServer as startServer,
} from '../../src/runners/postgres-server/index.js';
import { freePort } from './project.js';

export type { PostgresConnection, PostgresServer } from '../../src/runners/postgres-server/index.js';
export { postgresUnavailable } from '../../src/runners/postgres-server/index.js';

export function startPostgresServer(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  return startServer({ freePort: () => freePort(), ...options });
}

/** Session defaults that differ between the two servers of a pair. */
export const BASELINE_SETTINGS = {
  TimeZone: 'UTC',
  DateStyle: 'ISO, MDY',
  extra_float_digits: 1,
  IntervalStyle: 'postgres',
  bytea_output: 'hex',
};
export const TARGET_SETTINGS = {
  TimeZone: 'America/New_York',
  DateStyle: 'SQL, DMY',
  extra_float_digits: 0,
  IntervalStyle: 'iso_8601',
  bytea_output: 'escape',
};

/** Both servers have the same superuser password, so one environment variable can name it for both. */
export async function startPostgresPair(
  databases: string[] = [],
): Promise<{ baseline: PostgresServer; target: PostgresServer; stop(): Promise<void> }> {
  const password = randomBytes(12).toString('hex');
  const [baseline, target] = await Promise.all([
    startPostgresServer({ settings: BASELINE_SETTINGS, databases, password }),
    startPostgresServer({ settings: TARGET_SETTINGS, databases, password }),
  ]);
  return { baseline, target, stop: async () => void (await Promise.all([baseline.stop(), target.stop()])) };
}

/** Runs SQL (several statements allowed) against a database, for a test's set-up. */
export async function sql(
  connection: PostgresConnection,
  text: string,
  values?: unknown[],
): Promise<pg.QueryResult> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}
