// Reads a database's schema model (core/data/model.ts) from pg_catalog — not information_schema, which
// hides the columns of tables the user may not read: such a table must be reported as inconclusive, not
// silently skipped. Ordinary and partitioned tables outside the system schemas; sequences with their
// last value, is_called and owning column's largest value (read one by one: a sequence the user may not
// read has unknown values rather than failing the schema).
import type { DatabaseSchema, SequenceInfo, TableInfo } from '../../core/data/model.js';
import { qualified, quoteIdent } from '../../core/data/normalise.js';
import { type Lane, QueryFailure } from './session.js';

const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'`;

interface ColumnRow extends Record<string, unknown> {
  schema: string;
  table: string;
  name: string;
  type: string;
  base_type: string;
  not_null: boolean;
  default: string | null;
}

export async function readSchema(lane: Lane): Promise<DatabaseSchema> {
  const tables = await lane.query<{ schema: string; name: string; oid: number }>(`
    SELECT n.nspname AS schema, c.relname AS name, c.oid::int AS oid
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND ${USER_SCHEMAS}
    ORDER BY 1, 2`);
  const columns = await lane.query<ColumnRow>(`
    SELECT n.nspname AS schema, c.relname AS table, a.attname AS name,
           format_type(a.atttypid, a.atttypmod) AS type,
           coalesce(bt.typname, t.typname) AS base_type,
           a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped AND ${USER_SCHEMAS}
    ORDER BY 1, 2, a.attnum`);
  const constraints = await lane.query<{
    oid: number;
    name: string;
    kind: string;
    definition: string;
    keys: string[];
  }>(`
    SELECT c.conrelid::int AS oid, c.conname AS name, c.contype AS kind, pg_get_constraintdef(c.oid) AS definition,
           array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY u(n, o)
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = u.n ORDER BY u.o) AS keys
    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
    WHERE c.conrelid <> 0 AND ${USER_SCHEMAS} ORDER BY 1, 2`);
  const indexes = await lane.query<{
    oid: number;
    name: string;
    definition: string;
    unique_keys: string[] | null;
  }>(`
    SELECT i.indrelid::int AS oid, ic.relname AS name, pg_get_indexdef(i.indexrelid) AS definition,
           CASE WHEN i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
                     AND NOT EXISTS (SELECT 1 FROM unnest(i.indkey::int2[]) k JOIN pg_attribute a
                                     ON a.attrelid = i.indrelid AND a.attnum = k WHERE NOT a.attnotnull)
                THEN array(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY u(n, o)
                           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.n ORDER BY u.o)
           END AS unique_keys
    FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
    WHERE ${USER_SCHEMAS} ORDER BY 1, 2`);

  const model: TableInfo[] = tables.map((t) => {
    const own = constraints.filter((c) => c.oid === t.oid);
    const pk = own.find((c) => c.kind === 'p');
    const unique = indexes.find((i) => i.oid === t.oid && i.unique_keys?.length);
    return {
      schema: t.schema,
      name: t.name,
      columns: columns
        .filter((c) => c.schema === t.schema && c.table === t.name)
        .map((c) => ({
          name: c.name,
          type: c.type,
          baseType: c.base_type,
          notNull: c.not_null,
          default: c.default,
        })),
      key: pk ? pk.keys : (unique?.unique_keys ?? null),
      keySource: pk ? 'primary key' : unique ? 'unique index' : null,
      constraints: own.map((c) => ({ name: c.name, kind: c.kind, definition: c.definition })),
      indexes: indexes
        .filter((i) => i.oid === t.oid)
        .map((i) => ({ name: i.name, definition: i.definition })),
    };
  });

  const sequenceRows = await lane.query<{
    schema: string;
    name: string;
    owned_by: string | null;
    owner_table: string | null;
    owner_schema: string | null;
    owner_column: string | null;
  }>(`
    SELECT n.nspname AS schema, s.relname AS name,
           tn.nspname AS owner_schema, t.relname AS owner_table, a.attname AS owner_column
    FROM pg_class s JOIN pg_namespace n ON n.oid = s.relnamespace
    LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
    LEFT JOIN pg_class t ON t.oid = d.refobjid LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
    LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
    WHERE s.relkind = 'S' AND ${USER_SCHEMAS} ORDER BY 1, 2`);
  const sequences: SequenceInfo[] = [];
  for (const s of sequenceRows) {
    const ownedBy =
      s.owner_table && s.owner_column ? `${s.owner_schema}.${s.owner_table}.${s.owner_column}` : null;
    let lastValue: string | null = null;
    let isCalled: boolean | null = null;
    let ownerMax: string | null = null;
    try {
      await lane.guarded(async () => {
        const [row] = await lane.query<{ last_value: string; is_called: boolean }>(
          `SELECT last_value::text AS last_value, is_called FROM ${qualified(s.schema, s.name)}`,
        );
        lastValue = row?.last_value ?? null;
        isCalled = row?.is_called ?? null;
        if (s.owner_schema && s.owner_table && s.owner_column) {
          const [max] = await lane.query<{ max: string | null }>(
            `SELECT max(${quoteIdent(s.owner_column)})::text AS max FROM ONLY ${qualified(s.owner_schema, s.owner_table)}`,
          );
          ownerMax = max?.max ?? null;
        }
      });
    } catch (error) {
      if (!(error instanceof QueryFailure)) throw error;
    }
    sequences.push({ schema: s.schema, name: s.name, lastValue, isCalled, ownedBy, ownerMax });
  }
  const extensions = await lane.query<{ name: string; version: string }>(
    'SELECT extname AS name, extversion AS version FROM pg_extension ORDER BY 1',
  );
  return { tables: model, sequences, extensions };
}
