// One table's comparison on one lane per side: exact counts and checksums of the whole table; where they
// differ, bisection by key ranges (core/data/bisect.ts) down to segments small enough to download keys
// and row hashes, then the changed columns of the changed rows. A table without a usable key is compared
// by its multiset of row hashes (with a warning: rows cannot be named by key). Any failure — permissions,
// the statement timeout — makes this table inconclusive with the reason, not the whole comparison.
import {
  type BisectionOptions,
  changedColumns,
  compareHashCounts,
  compareRowHashes,
  type RowHash,
  segmentsBetween,
  splitIntegerRange,
  toKeyValues,
} from '../../core/data/bisect.js';
import {
  type ColumnInfo,
  newTableDiff,
  type TableDiff,
  type TableInfo,
  tableName,
} from '../../core/data/model.js';
import { INTEGER_TYPES } from '../../core/data/normalise.js';
import {
  boundariesQuery,
  bucketChecksumsQuery,
  checksumQuery,
  comparedColumns,
  keyRangeQuery,
  rowHashCountsQuery,
  rowHashesQuery,
  rowValuesQuery,
  type Segment,
  WHOLE_TABLE,
} from '../../core/data/sql.js';
import { type Lane, QueryFailure } from './session.js';

export interface TableDiffOptions {
  bisection: BisectionOptions;
  /** Differing rows listed per table (the rest are counted as truncated). */
  maxRowsReported: number;
  /** A keyless table whose checksums differ is downloaded (hashes only) up to this many rows. */
  keylessDownloadLimit: number;
}

interface Sides {
  baseline: Lane;
  target: Lane;
}

interface Checksum {
  count: number;
  sum: string;
}

async function checksums(
  lanes: Sides,
  tables: { baseline: TableInfo; target: TableInfo },
  columns: { baseline: ColumnInfo[]; target: ColumnInfo[] },
  segment: Segment,
): Promise<[Checksum, Checksum]> {
  const read = async (lane: Lane, table: TableInfo, cols: ColumnInfo[]) => {
    const [row] = await lane.query<{ n: string; s: string }>(checksumQuery(table, cols, segment));
    return { count: Number(row?.n ?? 0), sum: row?.s ?? '0' };
  };
  return Promise.all([
    read(lanes.baseline, tables.baseline, columns.baseline),
    read(lanes.target, tables.target, columns.target),
  ]);
}

const sameChecksum = (a: Checksum, b: Checksum) => a.count === b.count && a.sum === b.sum;

const keyTexts = (row: Record<string, unknown>, n: number) =>
  Array.from({ length: n }, (_, i) => String(row[`k${i}`]));

export async function diffTable(
  lanes: Sides,
  baseline: TableInfo,
  target: TableInfo,
  options: TableDiffOptions,
): Promise<TableDiff> {
  const result = newTableDiff(tableName(baseline), 'equal', baseline.key);
  const columns = comparedColumns(baseline, target);
  const tables = { baseline, target };
  const sameKey = baseline.key && target.key && baseline.key.join('\0') === target.key.join('\0');
  const reported = () => result.missing.length + result.extra.length + result.changed.length;
  const room = () => options.maxRowsReported - reported();

  const both = (sql: string) => Promise.all([lanes.baseline.query(sql), lanes.target.query(sql)]);
  try {
    await both('SAVEPOINT cutover_table');
    await compare();
    await both('RELEASE SAVEPOINT cutover_table');
    return result;
  } catch (error) {
    if (!(error instanceof QueryFailure)) throw error;
    await both('ROLLBACK TO SAVEPOINT cutover_table').catch(() => {});
    return { ...result, status: 'inconclusive', reason: error.message };
  }

  async function compare(): Promise<void> {
    if (!sameKey) {
      const [b, t] = await checksums(lanes, tables, columns, WHOLE_TABLE);
      result.counts = { baseline: b.count, target: t.count };
      if (b.count === t.count && b.sum === t.sum) return;
      result.status = 'different';
      result.key = null;
      result.warnings.push(
        baseline.key || target.key
          ? 'the two sides key this table differently: compared by full-row checksums, rows are not named by key'
          : 'no primary key (nor a unique key of NOT NULL columns): compared by full-row checksums, rows are not named by key',
      );
      if (Math.max(b.count, t.count) <= options.keylessDownloadLimit) {
        const counts = async (lane: Lane, table: TableInfo, cols: ColumnInfo[]) =>
          new Map(
            (await lane.query<{ h: string; n: number }>(rowHashCountsQuery(table, cols))).map((r) => [
              r.h,
              r.n,
            ]),
          );
        const [bc, tc] = await Promise.all([
          counts(lanes.baseline, baseline, columns.baseline),
          counts(lanes.target, target, columns.target),
        ]);
        const { missing, extra } = compareHashCounts(bc, tc);
        const rows = (list: Array<{ hash: string; count: number }>) =>
          list.flatMap((r) => Array.from({ length: r.count }, () => ({ 'row md5': r.hash.slice(0, 12) })));
        const all = { missing: rows(missing), extra: rows(extra) };
        result.missing = all.missing.slice(0, options.maxRowsReported);
        result.extra = all.extra.slice(0, Math.max(0, room()));
        result.truncated = all.missing.length + all.extra.length > reported();
      }
      return;
    }

    const keyNames = baseline.key!;
    const keyCols = keyNames.map((k) => baseline.columns.find((c) => c.name === k)!);
    const integerKey =
      keyCols.length === 1 &&
      INTEGER_TYPES.has(keyCols[0]!.baseType) &&
      INTEGER_TYPES.has(target.columns.find((c) => c.name === keyNames[0])!.baseType);

    const download = async (segment: Segment) => {
      const hashes = async (lane: Lane, table: TableInfo, cols: ColumnInfo[]): Promise<RowHash[]> =>
        (await lane.query<Record<string, unknown>>(rowHashesQuery(table, cols, segment))).map((r) => ({
          key: keyTexts(r, keyNames.length),
          hash: String(r.h),
        }));
      const [bh, th] = await Promise.all([
        hashes(lanes.baseline, baseline, columns.baseline),
        hashes(lanes.target, target, columns.target),
      ]);
      const cmp = compareRowHashes(bh, th);
      const total = cmp.missing.length + cmp.extra.length + cmp.changed.length;
      const before = reported();
      const take = <T>(list: T[]) => list.slice(0, Math.max(0, room()));
      result.missing.push(...take(cmp.missing).map((k) => toKeyValues(keyNames, k)));
      result.extra.push(...take(cmp.extra).map((k) => toKeyValues(keyNames, k)));
      const changed = take(cmp.changed);
      if (changed.length) {
        const values = async (lane: Lane, table: TableInfo, cols: ColumnInfo[]) =>
          new Map(
            (await lane.query<Record<string, unknown>>(rowValuesQuery(table, cols, changed))).map((r) => [
              JSON.stringify(keyTexts(r, keyNames.length)),
              cols.map((_, i) => (r[`c${i}`] ?? null) as string | null),
            ]),
          );
        const [bv, tv] = await Promise.all([
          values(lanes.baseline, baseline, columns.baseline),
          values(lanes.target, target, columns.target),
        ]);
        const names = columns.baseline.map((c) => c.name);
        for (const key of changed) {
          const id = JSON.stringify(key);
          result.changed.push({
            key: toKeyValues(keyNames, key),
            columns: changedColumns(names, bv.get(id) ?? [], tv.get(id) ?? []),
          });
        }
      }
      if (reported() - before < total) result.truncated = true;
    };

    const boundaries = async (segment: Segment, rows: number): Promise<string[][]> => {
      if (integerKey) {
        const ranges = await Promise.all([
          lanes.baseline.query<{ lo: string | null; hi: string | null }>(keyRangeQuery(baseline, segment)),
          lanes.target.query<{ lo: string | null; hi: string | null }>(keyRangeQuery(target, segment)),
        ]);
        const los = ranges
          .map((r) => r[0]?.lo)
          .filter((v): v is string => v != null)
          .map(BigInt);
        const his = ranges
          .map((r) => r[0]?.hi)
          .filter((v): v is string => v != null)
          .map(BigInt);
        if (!los.length || !his.length) return [];
        const byValue = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
        const min = los.sort(byValue)[0]!;
        const max = his.sort(byValue).at(-1)!;
        return splitIntegerRange(min, max, options.bisection.factor).map((v) => [v.toString()]);
      }
      const step = Math.ceil(rows / options.bisection.factor);
      const side = lanes.baseline;
      const rowsOf = await side.query<Record<string, unknown>>(boundariesQuery(baseline, segment, step));
      return rowsOf.map((r) => keyTexts(r, keyNames.length));
    };

    // Each side's checksums of every sub-segment in one scan; only differing sub-segments go deeper.
    const buckets = async (segment: Segment, bounds: string[][]) => {
      const read = async (lane: Lane, table: TableInfo, cols: ColumnInfo[]) =>
        new Map(
          (
            await lane.query<{ b: number; n: string; s: string }>(
              bucketChecksumsQuery(table, cols, segment, bounds),
            )
          ).map((r) => [Number(r.b), { count: Number(r.n), sum: r.s }]),
        );
      return Promise.all([
        read(lanes.baseline, baseline, columns.baseline),
        read(lanes.target, target, columns.target),
      ]);
    };
    const bisect = async (segment: Segment, rows: number): Promise<void> => {
      if (room() <= 0) {
        result.truncated = true;
        return;
      }
      if (rows <= options.bisection.threshold) return download(segment);
      const bounds = await boundaries(segment, rows);
      if (!bounds.length) return download(segment);
      const [bb, tb] = await buckets(segment, bounds);
      await descend(segmentsBetween(segment, bounds), bb, tb);
    };
    const none = { count: 0, sum: '0' };
    const descend = async (subs: Segment[], bb: Map<number, Checksum>, tb: Map<number, Checksum>) => {
      for (const [i, sub] of subs.entries()) {
        const sb = bb.get(i) ?? none;
        const st = tb.get(i) ?? none;
        if (sameChecksum(sb, st)) continue;
        if (room() <= 0) {
          result.truncated = true;
          return;
        }
        await bisect(sub, Math.max(sb.count, st.count));
      }
    };
    // A single integer key: the key range and the first split's checksums in one scan per side, so an
    // equal table costs one scan and a differing one is not scanned twice at the top.
    if (integerKey) {
      const bounds = await boundaries(WHOLE_TABLE, Number.POSITIVE_INFINITY);
      if (bounds.length) {
        const [bb, tb] = await buckets(WHOLE_TABLE, bounds);
        const total = (m: Map<number, Checksum>) => [...m.values()].reduce((n, c) => n + c.count, 0);
        result.counts = { baseline: total(bb), target: total(tb) };
        const subs = segmentsBetween(WHOLE_TABLE, bounds);
        if (subs.every((_, i) => sameChecksum(bb.get(i) ?? none, tb.get(i) ?? none))) return;
        result.status = 'different';
        await descend(subs, bb, tb);
        if (!reported() && !result.truncated)
          result.warnings.push('the checksums differ but no row was found to differ');
        return;
      }
    }
    const [b, t] = await checksums(lanes, tables, columns, WHOLE_TABLE);
    result.counts = { baseline: b.count, target: t.count };
    if (sameChecksum(b, t)) return;
    result.status = 'different';
    await bisect(WHOLE_TABLE, Math.max(b.count, t.count));
    if (!reported() && !result.truncated)
      result.warnings.push('the checksums differ but no row was found to differ');
  }
}
