#!/usr/bin/env node
// Data diff benchmark (not part of `npm test`): `npm run bench:data`. Two real PostgreSQL servers on
// loopback (src/runners/postgres-server/), one table of N rows (default 10 million) on both, then 10 rows
// made to differ on the target, spread across the key range (4 deleted, 3 changed, 3 inserted). Measured:
//   cutover  diffDatabases (src/runners/postgres/): checksums, bisection, row hashes at the bottom;
//   full     what a tool without bisection does: both sides downloaded in key order (a server-side cursor,
//            50 000 rows a fetch) and merged in Node, every column of every row.
// Time, queries and bytes received from the servers (socket bytes, both sides) for each, and whether all
// 10 differences were found.
//   node bench/data-diff.mjs [--rows N]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { startPostgresServer, runSql } = await import(join(ROOT, 'dist/src/runners/postgres-server/index.js'));
const { diffDatabases } = await import(join(ROOT, 'dist/src/runners/postgres/index.js'));

const argv = process.argv.slice(2);
const rowsAt = argv.indexOf('--rows');
const ROWS = rowsAt >= 0 ? Number(argv[rowsAt + 1]) : 10_000_000;
if (!Number.isInteger(ROWS) || ROWS < 1000) {
  process.stderr.write('bench: --rows expects a whole number of at least 1000\n');
  process.exit(2);
}
const log = (line) => process.stderr.write(`${line}\n`);

const settings = {
  shared_buffers: '256MB',
  max_wal_size: '4GB',
  checkpoint_timeout: '30min',
  work_mem: '64MB',
};
const [a, b] = await Promise.all([
  startPostgresServer({ settings, startTimeoutMs: 60_000 }),
  startPostgresServer({
    settings: { ...settings, TimeZone: 'Europe/Amsterdam', DateStyle: 'SQL, DMY' },
    startTimeoutMs: 60_000,
  }),
]);
try {
  const ddl = `CREATE UNLOGGED TABLE big (id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(12,2) NOT NULL, at timestamptz NOT NULL);
    INSERT INTO big SELECT g, 'customer-' || (g % 100000), (g % 100000) / 100.0, TIMESTAMPTZ '2024-01-01 00:00:00+00' + g * INTERVAL '1 second'
      FROM generate_series(1, ${ROWS}) g;
    ANALYZE big;`;
  let t = performance.now();
  await Promise.all([runSql(a.connection, ddl), runSql(b.connection, ddl)]);
  log(`generated ${ROWS} rows on both servers in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  // 10 differences spread across the key range.
  const at = (i) => Math.floor((ROWS / 11) * (i + 1));
  await runSql(
    b.connection,
    `DELETE FROM big WHERE id IN (${[0, 1, 2, 3].map(at).join(', ')});
     UPDATE big SET amount = amount + 1 WHERE id IN (${[4, 5, 6].map(at).join(', ')});
     INSERT INTO big VALUES ${[7, 8, 9].map((i) => `(${ROWS + 1 + i}, 'new', 1, now())`).join(', ')}`,
  );
  const expected = 10;

  t = performance.now();
  const diff = await diffDatabases(a.connection, b.connection, {
    tables: ['big'],
    maxConcurrent: 1,
    statementTimeoutMs: 600_000,
  });
  const cutoverMs = performance.now() - t;
  const table = diff.tables[0];
  const found = table.missing.length + table.extra.length + table.changed.length;
  log(
    `cutover: ${found} found in ${(cutoverMs / 1000).toFixed(1)} s, ${diff.stats.queries} queries, ${diff.stats.bytes} bytes`,
  );

  // The full sorted download-and-compare.
  t = performance.now();
  let bytes = 0;
  let queries = 0;
  const open = async (conn) => {
    const client = new pg.Client(conn);
    await client.connect();
    client.connection.stream.on('data', (c) => (bytes += c.length));
    await client.query(
      "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    );
    await client.query(
      'DECLARE c NO SCROLL CURSOR FOR SELECT id, customer, amount::text, at::text FROM big ORDER BY id',
    );
    queries += 3;
    let buffer = [];
    let done = false;
    return {
      client,
      async next() {
        if (!buffer.length && !done) {
          buffer = (await client.query({ text: 'FETCH 50000 FROM c', rowMode: 'array' })).rows;
          queries++;
          if (!buffer.length) done = true;
          buffer.reverse();
        }
        return buffer.pop();
      },
    };
  };
  const [sa, sb] = await Promise.all([open(a.connection), open(b.connection)]);
  let differences = 0;
  let [ra, rb] = await Promise.all([sa.next(), sb.next()]);
  while (ra || rb) {
    const ka = ra ? BigInt(ra[0]) : undefined;
    const kb = rb ? BigInt(rb[0]) : undefined;
    if (kb === undefined || (ka !== undefined && ka < kb)) {
      differences++;
      ra = await sa.next();
    } else if (ka === undefined || kb < ka) {
      differences++;
      rb = await sb.next();
    } else {
      if (ra.join('\u0000') !== rb.join('\u0000')) differences++;
      [ra, rb] = await Promise.all([sa.next(), sb.next()]);
    }
  }
  await Promise.all([sa.client.end(), sb.client.end()]);
  const fullMs = performance.now() - t;
  log(`full:    ${differences} found in ${(fullMs / 1000).toFixed(1)} s, ${queries} queries, ${bytes} bytes`);
  const result = {
    rows: ROWS,
    expected,
    cutover: { found, ms: Math.round(cutoverMs), queries: diff.stats.queries, bytes: diff.stats.bytes },
    full: { found: differences, ms: Math.round(fullMs), queries, bytes },
    bytesShare: +(diff.stats.bytes / bytes).toFixed(5),
    speedup: +(fullMs / cutoverMs).toFixed(2),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await Promise.all([a.stop(), b.stop()]);
}
