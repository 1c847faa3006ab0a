// Values equal in meaning must hash equally on both sides, whatever each server's session defaults and
// whatever scale or precision the migration gave a column: each column is turned into one canonical text
// by SQL chosen from its base type (on each side from that side's own type). What is normalised, and why:
//   numeric      trim_scale(): 1.5 and 1.50 are equal; a numeric(10,2) target of an unconstrained column
//                would otherwise differ on every row.
//   timestamps   a fixed format with all six fractional digits, timestamptz in UTC: independent of DateStyle
//                and TimeZone, and of the declared precision — so a value a timestamp(0) column rounded is a
//                real difference (the data lost its fraction), while 10:00:00 and 10:00:00.000000 are equal.
//   floats       the shortest text that round-trips (extra_float_digits is pinned to 1); -0 is 0.
//   json         through jsonb: key order and whitespace do not matter; jsonb's own text is canonical.
//   bytea        hex, whatever bytea_output says.
// The session settings are pinned as well (SESSION_SETTINGS) for everything the above does not cover
// (intervals, arrays of timestamps…). Rows are hashed as ROW(...)::text of these texts: the composite's
// quoting keeps NULL and '' apart and a '|' inside a value cannot shift a column boundary.
import type { ColumnInfo } from './model.js';

/** Set on every connection of a comparison, before anything is read. */
export const SESSION_SETTINGS: Record<string, string> = {
  TimeZone: 'UTC',
  DateStyle: 'ISO, YMD',
  IntervalStyle: 'postgres',
  extra_float_digits: '1',
  bytea_output: 'hex',
  client_encoding: 'UTF8',
};

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;
export const qualified = (schema: string, table: string) => `${quoteIdent(schema)}.${quoteIdent(table)}`;

const TIMESTAMP_FORMAT = `'YYYY-MM-DD HH24:MI:SS.US BC'`;

/** SQL giving a column's canonical text (NULL stays NULL). */
export function normalisedExpression(column: Pick<ColumnInfo, 'name' | 'baseType'>): string {
  const c = quoteIdent(column.name);
  switch (column.baseType) {
    case 'numeric':
      return `trim_scale(${c})::text`;
    case 'float4':
    case 'float8':
      return `(CASE WHEN ${c} = 0 THEN '0' ELSE ${c}::text END)`;
    case 'timestamp':
      return `(CASE WHEN isfinite(${c}) THEN to_char(${c}, ${TIMESTAMP_FORMAT}) ELSE ${c}::text END)`;
    case 'timestamptz':
      return `(CASE WHEN isfinite(${c}) THEN to_char(${c} AT TIME ZONE 'UTC', ${TIMESTAMP_FORMAT}) ELSE ${c}::text END)`;
    case 'date':
      return `(CASE WHEN isfinite(${c}) THEN to_char(${c}, 'YYYY-MM-DD BC') ELSE ${c}::text END)`;
    case 'json':
      return `${c}::jsonb::text`;
    case 'bytea':
      return `encode(${c}, 'hex')`;
    default:
      return `${c}::text`;
  }
}

/** Key column types whose range predicates and order need the C collation (byte order on both sides). */
export const TEXT_TYPES = new Set(['text', 'varchar', 'bpchar', 'name', 'citext']);

/** A key column in range predicates and ORDER BY: text compared by bytes, so both servers agree. */
export function keyExpression(column: Pick<ColumnInfo, 'name' | 'baseType'>): string {
  const c = quoteIdent(column.name);
  return TEXT_TYPES.has(column.baseType) ? `${c} COLLATE "C"` : c;
}

/** Integer key types: ranges of these are split arithmetically, without a query. */
export const INTEGER_TYPES = new Set(['int2', 'int4', 'int8']);
