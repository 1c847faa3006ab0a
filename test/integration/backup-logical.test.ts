// The logical drill on real PostgreSQL: pg_dump of a live database, pg_restore into a scratch database,
// the data diff between them, the scratch database dropped. A healthy database passes with its tables
// and rows counted; a dump that cannot read a table, or a scratch database left from before, fails with
// the tool's own words; a password variable that is not set is refused before anything runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import type { CheckResult } from '../../src/core/model.js';
import { backupSuite } from '../../src/suites/backup/run.js';
import type { SuiteContext } from '../../src/suites/suite.js';
import { type PostgresServer, sql, startPostgresServer, TARGET_SETTINGS } from '../helpers/postgres.js';
import { makeSimProject } from '../helpers/project.js';

let server: PostgresServer;

const RENTGUY = `
  CREATE TABLE equipment (id serial PRIMARY KEY, name text NOT NULL, day_rate numeric(10,2), bought timestamptz);
  CREATE TABLE bookings (id serial PRIMARY KEY, equipment_id int REFERENCES equipment(id), starts_at timestamp(0), notes jsonb);
  CREATE INDEX bookings_starts ON bookings (starts_at);
  INSERT INTO equipment (name, day_rate, bought) SELECT 'item ' || g, g * 1.25, '2024-01-01'::timestamptz + g * interval '1 day' FROM generate_series(1, 40) g;
  INSERT INTO bookings (equipment_id, starts_at, notes) SELECT 1 + g % 40, '2025-03-01'::timestamp + g * interval '3 hours', jsonb_build_object('n', g) FROM generate_series(1, 250) g;
  CREATE TABLE audit (id int PRIMARY KEY, line text); INSERT INTO audit VALUES (1, 'x');
  CREATE ROLE drill LOGIN PASSWORD 'drill-pw' CREATEDB;
  GRANT SELECT ON equipment, bookings TO drill;
  GRANT SELECT, USAGE ON ALL SEQUENCES IN SCHEMA public TO drill;
`;

beforeAll(async () => {
  server = await startPostgresServer({ settings: TARGET_SETTINGS, databases: ['rentguy'] });
  await sql(server.connectionTo('rentguy'), RENTGUY);
});
afterAll(() => server?.stop());

/** What the last drill's run said on its log. */
let logged: string[] = [];

async function runDrill(logical: Record<string, unknown>, name: string, env: Record<string, string> = {}) {
  logged = [];
  const p = await makeSimProject(name, (c) => {
    (c as { backup?: unknown }).backup = { logical: [logical] };
  });
  const checks: CheckResult[] = [];
  const ctx: SuiteContext = {
    config: p.config,
    // The drill's environment only: no cluster to read here.
    environments: ['baseline'],
    services: Object.keys(p.config.services),
    runId: '20261207-050000-test',
    now: () => new Date(),
    faults: [],
    env,
    options: {},
    log: (line) => logged.push(line),
    check: (c) => checks.push(c),
    evidence: () => undefined,
  };
  await backupSuite.run(ctx, await backupSuite.plan(ctx));
  return checks;
}

const connection = (user: string, passwordEnv: string) => ({
  host: server.connection.host,
  port: server.connection.port,
  database: 'rentguy',
  user,
  passwordEnv,
});

describe('the logical drill on real PostgreSQL', () => {
  it('still runs with the old ssl of a connection, read as its tls, and the run notes the old name', async () => {
    const checks = await runDrill(
      {
        name: 'rentguy-db',
        environment: 'baseline',
        connection: { ...connection(server.connection.user, 'RENTGUY_DB_PASSWORD'), ssl: false },
      },
      'logical-old-ssl',
      { RENTGUY_DB_PASSWORD: server.connection.password },
    );
    expect(checks.map((c) => c.status)).toEqual(['pass']);
    expect(logged).toContain(
      "backup: note: backup.logical[0].connection.ssl is the old name of tls (the data suite's shape: { mode: 'verify-full', caFile } or { mode: 'require' }); it still works in this release — rename it when you next edit the config",
    );
  });

  it('dumps, restores into a scratch database, finds it equal to the live one, and drops it', async () => {
    const checks = await runDrill(
      {
        name: 'rentguy-db',
        covers: ['rentguy-api'],
        environment: 'baseline',
        connection: connection(server.connection.user, 'RENTGUY_DB_PASSWORD'),
      },
      'logical-healthy',
      { RENTGUY_DB_PASSWORD: server.connection.password },
    );
    expect(checks).toHaveLength(1);
    const c = checks[0]!;
    expect(c).toMatchObject({
      suite: 'backup',
      service: 'rentguy-api',
      check: 'logical-drill:rentguy-db',
      status: 'pass',
    });
    expect(c.reason).toMatch(
      /^the restore of postgres@127\.0\.0\.1:\d+\/rentguy \(cutover_drill_rentguy\) equals the live database: 3 tables, 291 rows, same schema, dump \d+ KiB$/,
    );
    expect(c.data).toMatchObject({ tables: 3, rows: 291, differingTables: 0 });
    expect(c.reason).not.toContain(server.connection.password);
    const left = await sql(
      server.connection,
      "SELECT datname FROM pg_database WHERE datname LIKE 'cutover_drill%'",
    );
    expect(left.rows).toEqual([]);
  });

  it("a dump that cannot read every table fails with pg_dump's words", async () => {
    const checks = await runDrill(
      { name: 'rentguy-db', environment: 'baseline', connection: connection('drill', 'DRILL_PW') },
      'logical-denied',
      { DRILL_PW: 'drill-pw' },
    );
    expect(checks[0]).toMatchObject({ service: 'rentguy-db', status: 'fail' });
    expect(checks[0]!.reason).toMatch(
      /^pg_dump of drill@127\.0\.0\.1:\d+\/rentguy: pg_dump failed \(exit 1\): .*permission denied for table audit/,
    );
  });

  it('a scratch database left from before is refused, not dropped', async () => {
    await sql(server.connection, 'CREATE DATABASE leftover');
    const checks = await runDrill(
      {
        name: 'rentguy-db',
        environment: 'baseline',
        scratchDatabase: 'leftover',
        connection: connection(server.connection.user, 'PW'),
      },
      'logical-leftover',
      { PW: server.connection.password },
    );
    expect(checks[0]!.reason).toMatch(
      /scratch database leftover already exists \(an earlier drill not cleaned up\?\)/,
    );
    expect(
      (await sql(server.connection, "SELECT 1 FROM pg_database WHERE datname = 'leftover'")).rowCount,
    ).toBe(1);
  });

  it('a password variable that is not set is refused before anything runs', async () => {
    const run = runDrill(
      { name: 'rentguy-db', environment: 'baseline', connection: connection('drill', 'NOT_SET_PW') },
      'logical-nopw',
    );
    await expect(run).rejects.toThrow(UserError);
    await expect(run).rejects.toThrow(
      'backup.logical[0] (rentguy-db).connection.passwordEnv: the environment variable NOT_SET_PW is not set',
    );
  });
});
