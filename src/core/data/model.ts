// The data diff's model: what a database's schema looks like to the comparison, and what a comparison of a
// baseline and a target database found — per table: equal, different (with the first differing keys and
// changed columns), or inconclusive (with the reason it could not be compared). Pure data, no I/O.

export interface ColumnInfo {
  name: string;
  /** `format_type()` of the column: `numeric(10,2)`, `timestamp(0) without time zone`, `integer`… */
  type: string;
  /** The base type's name (`int4`, `numeric`, `timestamptz`, `_text` for arrays): what normalisation keys on. */
  baseType: string;
  notNull: boolean;
  default: string | null;
}

export interface TableInfo {
  schema: string;
  name: string;
  columns: ColumnInfo[];
  /** The columns rows are matched and ranged by: the primary key, else a unique key of NOT NULL columns. */
  key: string[] | null;
  /** Where the key came from, for the report. */
  keySource: 'primary key' | 'unique index' | null;
  /** Constraints by kind and definition (names are generated and may differ between the sides). */
  constraints: Array<{ name: string; kind: string; definition: string }>;
  indexes: Array<{ name: string; definition: string }>;
}

export interface SequenceInfo {
  schema: string;
  name: string;
  lastValue: string | null;
  isCalled: boolean | null;
  /** The column that owns the sequence (serial or identity), as `schema.table.column`. */
  ownedBy: string | null;
  /** The owning column's largest value, when the sequence is owned by one. */
  ownerMax: string | null;
}

export interface DatabaseSchema {
  tables: TableInfo[];
  sequences: SequenceInfo[];
  extensions: Array<{ name: string; version: string }>;
}

export type SchemaDifferenceKind =
  | 'table-missing'
  | 'table-extra'
  | 'column-missing'
  | 'column-extra'
  | 'column-type'
  | 'column-nullability'
  | 'column-default'
  | 'constraint-missing'
  | 'constraint-extra'
  | 'index-missing'
  | 'index-extra'
  | 'sequence-missing'
  | 'sequence-value'
  | 'sequence-behind'
  | 'extension-missing'
  | 'extension-version';

export interface SchemaDifference {
  kind: SchemaDifferenceKind;
  /** The object named: `public.bookings`, `public.bookings.starts_at`, `public.bookings_pkey`… */
  object: string;
  /** The table it belongs to, when it belongs to one (for evidence per table). */
  table?: string;
  detail: string;
}

/** A row's key: each key column's value as text, in key-column order. */
export type KeyValues = Record<string, string>;

export interface ChangedRow {
  key: KeyValues;
  columns: string[];
}

export type TableStatus = 'equal' | 'different' | 'inconclusive';

export interface TableDiff {
  /** `schema.table`. */
  table: string;
  status: TableStatus;
  /** Why the table could not be compared (inconclusive), or a one-line summary of what differs. */
  reason?: string;
  key: string[] | null;
  counts: { baseline: number | null; target: number | null };
  /** Rows of the baseline missing from the target. */
  missing: KeyValues[];
  /** Rows of the target the baseline does not have. */
  extra: KeyValues[];
  changed: ChangedRow[];
  /** More rows differ than were listed (options.maxRowsReported). */
  truncated: boolean;
  warnings: string[];
  /** Schema differences of this table (columns, constraints, indexes, sequences it owns). */
  schema: SchemaDifference[];
}

export interface DiffStats {
  queries: number;
  /** Bytes received from both servers. */
  bytes: number;
  ms: number;
}

export interface DatabaseDiff {
  /** A label for each side (host:port/database), never with a password. */
  baseline: string;
  target: string;
  /** Set when the whole database could not be compared (connection refused, authentication…). */
  error?: string;
  schema: SchemaDifference[];
  tables: TableDiff[];
  stats: DiffStats;
}

export const tableName = (t: { schema: string; name: string }) => `${t.schema}.${t.name}`;

/** `id=5` or `(tenant=a, id=5)`: a key for a message. */
export function formatKey(key: KeyValues): string {
  const parts = Object.entries(key).map(([k, v]) => `${k}=${v}`);
  return parts.length === 1 ? parts[0]! : `(${parts.join(', ')})`;
}

/** How many rows of a table differ (listed or not). */
export const differingRows = (t: TableDiff) => t.missing.length + t.extra.length + t.changed.length;

/** A table's result before anything is found: nothing counted, no difference, no warning. */
export function newTableDiff(
  table: string,
  status: TableStatus,
  key: TableDiff['key'],
  reason?: string,
): TableDiff {
  return {
    table,
    status,
    ...(reason !== undefined ? { reason } : {}),
    key,
    counts: { baseline: null, target: null },
    missing: [],
    extra: [],
    changed: [],
    truncated: false,
    warnings: [],
    schema: [],
  };
}
