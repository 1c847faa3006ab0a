// The SQL of a comparison, generated from a table's model: checksums of key ranges, key boundaries, row
// hashes and the normalised values of a few rows. Every statement reads only (the session is READ ONLY as
// well) and reads `ONLY` the table itself, not inheritance children. Key values travel as text and are cast
// back to the key column's type, so a boundary taken from one side is applied exactly to the other.
import type { ColumnInfo, TableInfo } from './model.js';
import { keyExpression, normalisedExpression, qualified } from './normalise.js';

/** A half-open range of keys: lo ≤ key < hi (lexicographic on compound keys); null is unbounded. */
export interface Segment {
  lo: string[] | null;
  hi: string[] | null;
}

export interface Query {
  text: string;
  values: string[];
}

export const WHOLE_TABLE: Segment = { lo: null, hi: null };

/** The columns compared on both sides (present on both), sorted by name so column order does not matter. */
export function comparedColumns(
  baseline: TableInfo,
  target: TableInfo,
): { baseline: ColumnInfo[]; target: ColumnInfo[] } {
  const names = baseline.columns
    .map((c) => c.name)
    .filter((n) => target.columns.some((c) => c.name === n))
    .sort();
  const pick = (t: TableInfo) => names.map((n) => t.columns.find((c) => c.name === n)!);
  return { baseline: pick(baseline), target: pick(target) };
}

function keyColumns(table: TableInfo): ColumnInfo[] {
  return (table.key ?? []).map((k) => table.columns.find((c) => c.name === k)!);
}

const keyList = (table: TableInfo) => keyColumns(table).map(keyExpression).join(', ');

/** `WHERE` for a segment, with its parameters numbered from `first`. */
function rangePredicate(table: TableInfo, segment: Segment, values: string[]): string {
  const keys = keyColumns(table);
  const tuple = (bound: string[]) => {
    const items = bound.map((v, i) => {
      values.push(v);
      return keyCast(`$${values.length}::${keys[i]!.type}`, keys[i]!);
    });
    return items.length === 1 ? items[0]! : `ROW(${items.join(', ')})`;
  };
  const parts: string[] = [];
  const left = keys.length === 1 ? keyList(table) : `ROW(${keyList(table)})`;
  if (segment.lo) parts.push(`${left} >= ${tuple(segment.lo)}`);
  if (segment.hi) parts.push(`${left} < ${tuple(segment.hi)}`);
  return parts.length ? ` WHERE ${parts.join(' AND ')}` : '';
}

const keyCast = (expr: string, column: ColumnInfo) =>
  keyExpression(column).endsWith('COLLATE "C"') ? `${expr} COLLATE "C"` : expr;

/** A 64-bit slice of the md5 of each row's canonical text, summed (sum of bigint is numeric: no overflow). */
export function rowHashExpression(columns: ColumnInfo[]): string {
  return `md5(ROW(${columns.map(normalisedExpression).join(', ')})::text)`;
}

export function checksumQuery(table: TableInfo, columns: ColumnInfo[], segment: Segment): Query {
  const values: string[] = [];
  const where = rangePredicate(table, segment, values);
  const hash = `('x' || substr(${rowHashExpression(columns)}, 1, 16))::bit(64)::bigint`;
  return {
    text: `SELECT count(*)::text AS n, coalesce(sum(${hash}), 0)::text AS s FROM ONLY ${qualified(table.schema, table.name)}${where}`,
    values,
  };
}

/**
 * Checksums of the sub-segments a segment's boundaries cut it into, in one scan: each row's bucket is the
 * index of the sub-segment holding it (0 … boundaries.length). Buckets without rows are absent.
 */
export function bucketChecksumsQuery(
  table: TableInfo,
  columns: ColumnInfo[],
  segment: Segment,
  boundaries: string[][],
): Query {
  const values: string[] = [];
  const where = rangePredicate(table, segment, values);
  const keys = keyColumns(table);
  const left = keys.length === 1 ? keyList(table) : `ROW(${keyList(table)})`;
  const branches = boundaries.map((bound, i) => {
    const items = bound.map((v, k) => {
      values.push(v);
      return keyCast(`$${values.length}::${keys[k]!.type}`, keys[k]!);
    });
    const right = items.length === 1 ? items[0]! : `ROW(${items.join(', ')})`;
    return `WHEN ${left} < ${right} THEN ${i}`;
  });
  const bucket = branches.length ? `CASE ${branches.join(' ')} ELSE ${boundaries.length} END` : '0';
  const hash = `('x' || substr(${rowHashExpression(columns)}, 1, 16))::bit(64)::bigint`;
  return {
    text: `SELECT ${bucket} AS b, count(*)::text AS n, coalesce(sum(${hash}), 0)::text AS s FROM ONLY ${qualified(table.schema, table.name)}${where} GROUP BY 1`,
    values,
  };
}

/** The smallest and largest key of a single integer key in a segment. */
export function keyRangeQuery(table: TableInfo, segment: Segment): Query {
  const values: string[] = [];
  const where = rangePredicate(table, segment, values);
  const k = keyList(table);
  return {
    text: `SELECT min(${k})::text AS lo, max(${k})::text AS hi FROM ONLY ${qualified(table.schema, table.name)}${where}`,
    values,
  };
}

/** Every `step`-th key of a segment in key order (skipping the first): boundaries that split it by rows. */
export function boundariesQuery(table: TableInfo, segment: Segment, step: number): Query {
  const values: string[] = [];
  const where = rangePredicate(table, segment, values);
  const keys = keyColumns(table);
  const inner = keys.map((c, i) => `${keyExpression(c)} AS k${i}`).join(', ');
  const outer = keys.map((_, i) => `k${i}::text AS k${i}`).join(', ');
  return {
    text: `SELECT ${outer} FROM (SELECT ${inner}, row_number() OVER (ORDER BY ${keyList(table)}) AS rn FROM ONLY ${qualified(table.schema, table.name)}${where}) s WHERE rn > 1 AND rn % ${Math.max(1, Math.floor(step))} = 1 ORDER BY rn`,
    values,
  };
}

/** Each row's key (as text) and hash in a segment, in key order: what is downloaded at the bottom. */
export function rowHashesQuery(table: TableInfo, columns: ColumnInfo[], segment: Segment): Query {
  const values: string[] = [];
  const where = rangePredicate(table, segment, values);
  const keys = keyColumns(table);
  return {
    text: `SELECT ${keys.map((c, i) => `${quoteCol(c)}::text AS k${i}`).join(', ')}, ${rowHashExpression(columns)} AS h FROM ONLY ${qualified(table.schema, table.name)}${where} ORDER BY ${keyList(table)}`,
    values,
  };
}

const quoteCol = (c: ColumnInfo) => `"${c.name.replace(/"/g, '""')}"`;

/** The normalised values of the rows with the given keys: to name a changed row's changed columns. */
export function rowValuesQuery(table: TableInfo, columns: ColumnInfo[], keys: string[][]): Query {
  const kcols = keyColumns(table);
  const values: string[] = [];
  const tuples = keys.map(
    (key) =>
      `ROW(${key
        .map((v, i) => {
          values.push(v);
          return `$${values.length}::${kcols[i]!.type}`;
        })
        .join(', ')})`,
  );
  return {
    text: `SELECT ${kcols.map((c, i) => `${quoteCol(c)}::text AS k${i}`).join(', ')}, ${columns.map((c, i) => `${normalisedExpression(c)} AS c${i}`).join(', ')} FROM ONLY ${qualified(table.schema, table.name)} WHERE ROW(${kcols.map(quoteCol).join(', ')}) IN (${tuples.join(', ')})`,
    values,
  };
}

/** For a table without a key: each distinct row hash and how often it occurs. */
export function rowHashCountsQuery(table: TableInfo, columns: ColumnInfo[]): Query {
  return {
    text: `SELECT ${rowHashExpression(columns)} AS h, count(*)::int AS n FROM ONLY ${qualified(table.schema, table.name)} GROUP BY 1`,
    values: [],
  };
}

export function countQuery(table: TableInfo): Query {
  return { text: `SELECT count(*)::text AS n FROM ONLY ${qualified(table.schema, table.name)}`, values: [] };
}
