// `cutover data diff` as a user runs it: a project folder outside the repository whose config names a
// database on two real PostgreSQL servers (password from an environment variable), a table that differs
// and one that does not; --table narrows the comparison; a missing password variable is named.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, startPostgresPair } from '../helpers/postgres.js';
import { runCli } from '../helpers/project.js';

let pair: Awaited<ReturnType<typeof startPostgresPair>>;
let dir: string;
const SETUP = `CREATE TABLE equipment (id serial PRIMARY KEY, name text NOT NULL, price numeric(10,2));
  INSERT INTO equipment (name, price) SELECT 'item ' || g, g * 1.25 FROM generate_series(1, 500) g;
  CREATE TABLE bookings (id serial PRIMARY KEY, equipment_id int, starts_at timestamptz);
  INSERT INTO bookings (equipment_id, starts_at) SELECT g % 50 + 1, '2026-01-01 00:00:00+00'::timestamptz + g * interval '1 hour' FROM generate_series(1, 300) g;`;

beforeAll(async () => {
  pair = await startPostgresPair(['rentguy']);
  await Promise.all([
    sql(pair.baseline.connectionTo('rentguy'), SETUP),
    sql(pair.target.connectionTo('rentguy'), SETUP),
  ]);
  await sql(
    pair.target.connectionTo('rentguy'),
    `DELETE FROM bookings WHERE id IN (42, 250); UPDATE equipment SET price = 0 WHERE id = 7`,
  );
  dir = mkdtempSync(join(tmpdir(), 'cutover-data-'));
  const conn = (c: { host: string; port: number }) => ({
    host: c.host,
    port: c.port,
    database: 'rentguy',
    user: 'postgres',
    passwordEnv: 'PG_PW',
  });
  const config = {
    project: 'data-e2e',
    environments: {
      baseline: {
        kind: 'compose',
        composeFile: 'compose.yml',
        services: { 'rentguy-api': { url: 'http://127.0.0.1:1' } },
      },
      target: {
        kind: 'kubernetes',
        context: 'x',
        namespaces: ['apps'],
        services: { 'rentguy-api': { url: 'http://127.0.0.1:1' } },
      },
    },
    services: {
      'rentguy-api': { tier: 'application', phase: 3, wave: 'rentguy', health: { path: '/health' } },
    },
    data: {
      databases: {
        'rentguy-db': {
          service: 'rentguy-api',
          environments: { baseline: conn(pair.baseline.connection), target: conn(pair.target.connection) },
        },
      },
    },
  };
  writeFileSync(join(dir, 'cutover.config.mjs'), `export default ${JSON.stringify(config, null, 2)};\n`);
});
afterAll(async () => {
  await pair?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('cutover data diff', () => {
  it('names the differing rows by key and column, and exits 1', async () => {
    const env = { PG_PW: pair.baseline.connection.password };
    const r = await runCli(['data', 'diff'], { cwd: dir, env });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(
      /✗ public\.bookings\s+300 rows in the baseline, 298 in the target; 2 missing from the target \(id=42, id=250\)/,
    );
    expect(r.stdout).toMatch(/✗ public\.equipment\s+1 changed \(id=7: price\)/);
    expect(r.stdout).not.toContain(pair.baseline.connection.password);
    expect(r.code).toBe(1);
  });

  it('compares only the tables --table names', async () => {
    const r = await runCli(['data', 'diff', '--table', 'public.equipment', '--json'], {
      cwd: dir,
      env: { PG_PW: pair.baseline.connection.password },
    });
    const out = JSON.parse(r.stdout) as {
      databases: Array<{ diff: { tables: Array<{ table: string; status: string }> } }>;
    };
    expect(out.databases[0]!.diff.tables.map((t) => `${t.table} ${t.status}`)).toEqual([
      'public.equipment different',
    ]);
  });

  it('names a password variable that is not set, and exits 3', async () => {
    const r = await runCli(['data', 'diff'], { cwd: dir });
    expect(r.stdout).toContain('baseline: the password variable PG_PW is not set');
    expect(r.code).toBe(3);
  });
});
