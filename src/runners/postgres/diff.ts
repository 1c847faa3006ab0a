// diffDatabases: compares a baseline and a target PostgreSQL database — schema, exact counts, checksums
// and bisection down to rows — reading only, each side in one consistent snapshot, within a statement
// timeout and a throttle. Never throws for what it finds or cannot reach: a side that cannot be opened is
// the result's `error`, a table that cannot be compared is `inconclusive` with the reason.
//
//   const result = await diffDatabases(
//     { host: '127.0.0.1', port: 5432, database: 'rentguy', user: 'cutover', password },
//     { host: '10.0.0.7', port: 5432, database: 'rentguy', user: 'cutover', password },
//     { tables: ['bookings'], maxQueriesPerSecond: 50 });
import { type BisectionOptions, DEFAULT_BISECTION } from '../../core/data/bisect.js';
import {
  type DatabaseDiff,
  newTableDiff,
  type TableDiff,
  type TableInfo,
  tableName,
} from '../../core/data/model.js';
import { compareSchemas } from '../../core/data/schema-compare.js';
import { readSchema } from './catalog.js';
import {
  type Counters,
  connectionLabel,
  type DatabaseConnection,
  describeFailure,
  openSide,
  type Side,
  Throttle,
} from './session.js';
import { diffTable } from './table-diff.js';

export interface DiffProgress {
  table: string;
  /** Tables finished so far, and in all. */
  done: number;
  total: number;
  status?: TableDiff['status'];
}

export interface DiffOptions {
  /** Only these tables (`schema.table`, or `table` in any schema). @default every table */
  tables?: string[];
  /** Per statement, on both sides. @default 30000 */
  statementTimeoutMs?: number;
  /** @default 10000 */
  connectTimeoutMs?: number;
  /** Query starts per second across both sides. @default unlimited */
  maxQueriesPerSecond?: number;
  /** Connections per side, so tables are compared this many at a time (one snapshot nonetheless). @default 2 */
  maxConcurrent?: number;
  bisection?: Partial<BisectionOptions>;
  /** Differing rows listed per table. @default 20 */
  maxRowsReported?: number;
  /** A keyless table with differing checksums is compared row by row up to this many rows. @default 100000 */
  keylessDownloadLimit?: number;
  onProgress?: (progress: DiffProgress) => void;
}

const matches = (wanted: string, t: TableInfo) => wanted === tableName(t) || wanted === t.name;

const emptyTable = (table: string, status: TableDiff['status'], reason: string): TableDiff =>
  newTableDiff(table, status, null, reason);

export async function diffDatabases(
  baselineConn: DatabaseConnection,
  targetConn: DatabaseConnection,
  options: DiffOptions = {},
): Promise<DatabaseDiff> {
  const started = performance.now();
  const counters: Counters = { queries: 0, bytes: 0 };
  const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
  const shared = {
    throttle: new Throttle(options.maxQueriesPerSecond),
    counters,
    statementTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
  };
  const lanes = Math.max(1, Math.floor(options.maxConcurrent ?? 2));
  const result: DatabaseDiff = {
    baseline: connectionLabel(baselineConn),
    target: connectionLabel(targetConn),
    schema: [],
    tables: [],
    stats: { queries: 0, bytes: 0, ms: 0 },
  };
  const finish = () => {
    result.stats = {
      queries: counters.queries,
      bytes: counters.bytes,
      ms: Math.round(performance.now() - started),
    };
    return result;
  };

  const opened = await Promise.allSettled([
    openSide(baselineConn, lanes, shared),
    openSide(targetConn, lanes, shared),
  ]);
  const sides = opened.map((o) => (o.status === 'fulfilled' ? o.value : undefined));
  const [baseline, target] = sides as [Side | undefined, Side | undefined];
  try {
    if (!baseline || !target) {
      result.error = opened
        .map((o, i) =>
          o.status === 'rejected'
            ? `the ${i === 0 ? 'baseline' : 'target'} (${i === 0 ? result.baseline : result.target}) could not be opened: ${describeFailure(o.reason, statementTimeoutMs)}`
            : undefined,
        )
        .filter(Boolean)
        .join('; ');
      return finish();
    }
    let schemas: Awaited<ReturnType<typeof readSchema>>[];
    try {
      schemas = await Promise.all([readSchema(baseline.lanes[0]!), readSchema(target.lanes[0]!)]);
    } catch (error) {
      result.error = `the schema could not be read: ${(error as Error).message}`;
      return finish();
    }
    const [bs, ts] = schemas as [(typeof schemas)[0], (typeof schemas)[0]];
    const wanted = (t: TableInfo) => !options.tables?.length || options.tables.some((w) => matches(w, t));
    const schemaDiffs = compareSchemas(bs, ts);
    const tableNames = new Set([...bs.tables.filter(wanted), ...ts.tables.filter(wanted)].map(tableName));
    result.schema = schemaDiffs.filter((d) => !d.table || tableNames.has(d.table) || !options.tables?.length);

    // Lanes take tables from one queue; each lane is one connection per side.
    const bisection = { ...DEFAULT_BISECTION, ...options.bisection };
    const tableOptions = {
      bisection,
      maxRowsReported: options.maxRowsReported ?? 20,
      keylessDownloadLimit: options.keylessDownloadLimit ?? 100_000,
    };
    const work: Array<(lane: number) => Promise<TableDiff>> = [];
    for (const w of options.tables ?? [])
      if (!bs.tables.some((t) => matches(w, t)) && !ts.tables.some((t) => matches(w, t)))
        result.tables.push(
          emptyTable(
            w,
            'inconclusive',
            `table ${w} was not found on either side (or is not visible to the user)`,
          ),
        );
    for (const name of [...tableNames].sort()) {
      const b = bs.tables.find((t) => tableName(t) === name);
      const t = ts.tables.find((x) => tableName(x) === name);
      if (!b || !t) {
        work.push(async () =>
          emptyTable(
            name,
            'different',
            b ? 'the table is missing from the target' : 'the table exists only in the target',
          ),
        );
        continue;
      }
      work.push((lane) =>
        diffTable({ baseline: baseline.lanes[lane]!, target: target.lanes[lane]! }, b, t, tableOptions),
      );
    }

    let done = 0;
    let next = 0;
    const diffs: TableDiff[] = new Array(work.length);
    const names = [...tableNames].sort();
    await Promise.all(
      baseline.lanes.map(async (_, lane) => {
        while (next < work.length) {
          const index = next++;
          const diff = await work[index]!(lane);
          diffs[index] = diff;
          done++;
          options.onProgress?.({ table: names[index]!, done, total: work.length, status: diff.status });
        }
      }),
    );
    for (const diff of diffs) {
      diff.schema = schemaDiffs.filter((d) => d.table === diff.table);
      if (diff.schema.length && diff.status === 'equal') {
        diff.status = 'different';
      }
      if (diff.status === 'different' && !diff.reason) diff.reason = summarise(diff);
    }
    result.tables.push(...diffs);
    return finish();
  } finally {
    await Promise.all([baseline?.close(), target?.close()]);
  }
}

/** One line: what differs in a table. */
export function summarise(diff: TableDiff): string {
  const parts: string[] = [];
  if (diff.counts.baseline !== null && diff.counts.baseline !== diff.counts.target)
    parts.push(`${diff.counts.baseline} rows in the baseline, ${diff.counts.target} in the target`);
  const rows = [
    diff.missing.length ? `${diff.missing.length}${diff.truncated ? '+' : ''} missing` : '',
    diff.extra.length ? `${diff.extra.length} extra` : '',
    diff.changed.length ? `${diff.changed.length} changed` : '',
  ].filter(Boolean);
  if (rows.length) parts.push(`rows: ${rows.join(', ')}`);
  if (diff.schema.length) parts.push(diff.schema.map((d) => d.detail).join('; '));
  if (!parts.length) parts.push('the checksums differ');
  return parts.join('; ');
}
