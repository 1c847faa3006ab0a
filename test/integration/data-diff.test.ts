// diffDatabases against two real PostgreSQL servers whose session defaults differ on purpose (TimeZone,
// DateStyle, extra_float_digits, IntervalStyle, bytea_output): each pitfall of comparing data by text —
// numeric scale, timestamp precision, float formatting, JSON key order — shows no difference where the
// values are equal in meaning, and real differences are found and named at table, key and column;
// compound and text keys, a table without a key, a table the user may not read and a statement timeout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffDatabases } from '../../src/runners/postgres/index.js';
import { type PostgresConnection, sql, startPostgresPair } from '../helpers/postgres.js';

let pair: Awaited<ReturnType<typeof startPostgresPair>>;
const reader = (c: PostgresConnection): PostgresConnection => ({
  ...c,
  user: 'reader',
  password: 'reader-pw',
});

// Equal in meaning on both sides, though written differently.
const BASELINE = `
  CREATE TABLE prices (id int PRIMARY KEY, amount numeric, ratio float8, small float4, at timestamp(6), at_tz timestamptz, doc json, docb jsonb, raw bytea, span interval);
  INSERT INTO prices VALUES
    (1, 1.5, 0.1 + 0.2, 0.3, '2024-01-02 03:04:05.123', '2024-01-02 03:04:05.5+00', '{"a": 1, "b": [1, 2]}', '{"a": 1, "b": 2}', '\\xdeadbeef', '1 day 02:03:04'),
    (2, 2, 1e23, -0.0, '2024-06-30 23:59:59', '2024-06-30 23:59:59+02', '{"x": null}', '{}', '\\x00', '3 months'),
    (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
  CREATE TABLE tenants (tenant text, id int, name text, PRIMARY KEY (tenant, id));
  INSERT INTO tenants SELECT t, g, t || g FROM unnest(ARRAY['a', 'B', 'é', 'a b', 'Z']) t, generate_series(1, 400) g;
  CREATE TABLE log (at int, line text);
  INSERT INTO log SELECT g % 50, 'line ' || g FROM generate_series(1, 300) g;
  CREATE TABLE secret (id int PRIMARY KEY, v text); INSERT INTO secret VALUES (1, 'x');
  CREATE TABLE slow (id int PRIMARY KEY); INSERT INTO slow SELECT generate_series(1, 20);
  ALTER TABLE slow ENABLE ROW LEVEL SECURITY;
  CREATE POLICY slowly ON slow USING (pg_sleep(0.1) IS NOT NULL);
  CREATE ROLE reader LOGIN PASSWORD 'reader-pw';
  GRANT SELECT ON prices, tenants, log, slow TO reader;
`;
const TARGET = BASELINE.replace('amount numeric,', 'amount numeric(12,4),')
  .replace('at timestamp(6),', 'at timestamp(3),')
  .replace(`'{"a": 1, "b": [1, 2]}'`, `'{"b":[1,2],"a":1}'`)
  .replace('(1, 1.5,', '(1, 1.50,');

beforeAll(async () => {
  pair = await startPostgresPair();
  await Promise.all([sql(pair.baseline.connection, BASELINE), sql(pair.target.connection, TARGET)]);
});
afterAll(() => pair?.stop());

describe('diffDatabases on real PostgreSQL', () => {
  it('finds no data difference between values equal in meaning, though the servers format them differently', async () => {
    const result = await diffDatabases(pair.baseline.connection, pair.target.connection, {
      tables: ['prices', 'tenants', 'log'],
    });
    expect(result.error).toBeUndefined();
    const prices = result.tables.find((t) => t.table === 'public.prices')!;
    expect(prices.counts).toEqual({ baseline: 3, target: 3 });
    expect([prices.missing, prices.extra, prices.changed]).toEqual([[], [], []]);
    // The migration's type changes are schema differences, named; the values are not.
    expect(prices.schema.map((d) => `${d.kind} ${d.object}`)).toEqual([
      'column-type public.prices.amount',
      'column-type public.prices.at',
    ]);
    expect(result.tables.find((t) => t.table === 'public.tenants')).toMatchObject({ status: 'equal' });
    expect(result.tables.find((t) => t.table === 'public.log')).toMatchObject({ status: 'equal' });
    expect(result.stats.queries).toBeGreaterThan(0);
    expect(result.stats.bytes).toBeGreaterThan(0);
  });

  it('finds rows missing, extra and changed under compound text keys, named by key and column', async () => {
    await sql(
      pair.target.connection,
      `DELETE FROM tenants WHERE tenant = 'é' AND id = 17;
       INSERT INTO tenants VALUES ('a b', 401, 'new');
       UPDATE tenants SET name = 'renamed' WHERE tenant = 'B' AND id = 300`,
    );
    try {
      const result = await diffDatabases(pair.baseline.connection, pair.target.connection, {
        tables: ['public.tenants'],
        bisection: { factor: 4, threshold: 16 },
      });
      const t = result.tables[0]!;
      expect(t.status).toBe('different');
      expect(t.missing).toEqual([{ tenant: 'é', id: '17' }]);
      expect(t.extra).toEqual([{ tenant: 'a b', id: '401' }]);
      expect(t.changed).toEqual([{ key: { tenant: 'B', id: '300' }, columns: ['name'] }]);
      // Bisection, not a download: far fewer bytes than the table's 2000 rows.
      expect(result.stats.bytes).toBeLessThan(60_000);
    } finally {
      await sql(
        pair.target.connection,
        `INSERT INTO tenants VALUES ('é', 17, 'é17'); DELETE FROM tenants WHERE tenant = 'a b' AND id = 401;
         UPDATE tenants SET name = 'B300' WHERE tenant = 'B' AND id = 300`,
      );
    }
  });

  it('compares a table without a key by its rows, with a warning', async () => {
    await sql(
      pair.target.connection,
      `DELETE FROM log WHERE ctid = (SELECT ctid FROM log WHERE line = 'line 7')`,
    );
    try {
      const [t] = (await diffDatabases(pair.baseline.connection, pair.target.connection, { tables: ['log'] }))
        .tables;
      expect(t).toMatchObject({ status: 'different', key: null, counts: { baseline: 300, target: 299 } });
      expect(t!.missing).toHaveLength(1);
      expect(t!.warnings.join()).toMatch(/no primary key/);
    } finally {
      await sql(pair.target.connection, `INSERT INTO log VALUES (7, 'line 7')`);
    }
  });

  it('makes a table the user may not read inconclusive, with the reason, and compares the rest', async () => {
    const result = await diffDatabases(reader(pair.baseline.connection), reader(pair.target.connection), {
      tables: ['secret', 'tenants'],
    });
    expect(result.tables.find((t) => t.table === 'public.secret')).toMatchObject({
      status: 'inconclusive',
      reason: expect.stringMatching(/permission denied for table secret/),
    });
    expect(result.tables.find((t) => t.table === 'public.tenants')).toMatchObject({ status: 'equal' });
  });

  it('makes a table inconclusive when a statement reaches the timeout', async () => {
    const result = await diffDatabases(reader(pair.baseline.connection), reader(pair.target.connection), {
      tables: ['slow', 'tenants'],
      statementTimeoutMs: 500,
    });
    expect(result.tables.find((t) => t.table === 'public.slow')).toMatchObject({
      status: 'inconclusive',
      reason: 'the statement timeout (500 ms) was reached',
    });
    expect(result.tables.find((t) => t.table === 'public.tenants')).toMatchObject({ status: 'equal' });
  });

  it('names a timestamp column migrated with less precision, at key and column', async () => {
    await sql(
      pair.baseline.connection,
      `CREATE TABLE events (id int PRIMARY KEY, at timestamp); INSERT INTO events VALUES (1, '2024-01-01 10:00:00'), (2, '2024-01-01 10:00:00.654321')`,
    );
    await sql(
      pair.target.connection,
      `CREATE TABLE events (id int PRIMARY KEY, at timestamp(0)); INSERT INTO events VALUES (1, '2024-01-01 10:00:00'), (2, '2024-01-01 10:00:00.654321')`,
    );
    const [t] = (
      await diffDatabases(pair.baseline.connection, pair.target.connection, { tables: ['events'] })
    ).tables;
    expect(t!.changed).toEqual([{ key: { id: '2' }, columns: ['at'] }]);
    expect(t!.schema[0]).toMatchObject({ kind: 'column-type', object: 'public.events.at' });
  });

  it('reports a side it cannot open as the result error, without its password', async () => {
    const result = await diffDatabases(
      { ...pair.baseline.connection, password: 'wrong-secret' },
      pair.target.connection,
      { connectTimeoutMs: 3000 },
    );
    expect(result.error).toMatch(
      /the baseline \(postgres@127\.0\.0\.1:\d+\/postgres\) could not be opened: password authentication failed/,
    );
    expect(JSON.stringify(result)).not.toContain('wrong-secret');
  });
});
