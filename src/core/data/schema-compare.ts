// Schema comparison of two databases' models: tables, columns (type, NOT NULL, default), constraints and
// indexes by definition (their generated names may differ between the sides, so an index is matched by
// what it indexes and named by the side that has it), sequences (last value, is_called, and a sequence
// behind its own column's largest value — the next insert would collide), extensions. Pure.
import {
  type DatabaseSchema,
  type SchemaDifference,
  type SequenceInfo,
  type TableInfo,
  tableName,
} from './model.js';

/** An index definition without its name, so equal indexes with different names match. */
export const indexShape = (definition: string) =>
  definition.replace(/^CREATE (UNIQUE )?INDEX \S+ ON /i, 'CREATE $1INDEX ON ');

function compareTables(base: TableInfo, target: TableInfo): SchemaDifference[] {
  const table = tableName(base);
  const out: SchemaDifference[] = [];
  const push = (kind: SchemaDifference['kind'], object: string, detail: string) =>
    out.push({ kind, object, table, detail });
  for (const col of base.columns) {
    const other = target.columns.find((c) => c.name === col.name);
    const object = `${table}.${col.name}`;
    if (!other) {
      push('column-missing', object, `column ${col.name} (${col.type}) is missing from the target`);
      continue;
    }
    if (other.type !== col.type)
      push('column-type', object, `type ${col.type} in the baseline, ${other.type} in the target`);
    if (other.notNull !== col.notNull)
      push(
        'column-nullability',
        object,
        `${col.notNull ? 'NOT NULL' : 'nullable'} in the baseline, ${other.notNull ? 'NOT NULL' : 'nullable'} in the target`,
      );
    if ((other.default ?? '') !== (col.default ?? ''))
      push(
        'column-default',
        object,
        `default ${col.default ?? 'none'} in the baseline, ${other.default ?? 'none'} in the target`,
      );
  }
  for (const col of target.columns)
    if (!base.columns.some((c) => c.name === col.name))
      push(
        'column-extra',
        `${table}.${col.name}`,
        `column ${col.name} (${col.type}) exists only in the target`,
      );

  const constraintId = (c: { kind: string; definition: string }) => `${c.kind} ${c.definition}`;
  for (const c of base.constraints)
    if (!target.constraints.some((o) => constraintId(o) === constraintId(c)))
      push(
        'constraint-missing',
        `${base.schema}.${c.name}`,
        `constraint ${c.name} (${c.definition}) is missing from the target`,
      );
  for (const c of target.constraints)
    if (!base.constraints.some((o) => constraintId(o) === constraintId(c)))
      push(
        'constraint-extra',
        `${target.schema}.${c.name}`,
        `constraint ${c.name} (${c.definition}) exists only in the target`,
      );

  for (const i of base.indexes)
    if (!target.indexes.some((o) => indexShape(o.definition) === indexShape(i.definition)))
      push(
        'index-missing',
        `${base.schema}.${i.name}`,
        `index ${i.name} is missing from the target: ${i.definition}`,
      );
  for (const i of target.indexes)
    if (!base.indexes.some((o) => indexShape(o.definition) === indexShape(i.definition)))
      push(
        'index-extra',
        `${target.schema}.${i.name}`,
        `index ${i.name} exists only in the target: ${i.definition}`,
      );
  return out;
}

const bigint = (v: string | null) => (v === null ? null : BigInt(v));

/** The value the sequence hands out next (the last one when is_called is false). */
function nextValue(s: SequenceInfo): bigint | null {
  const last = bigint(s.lastValue);
  if (last === null) return null;
  return s.isCalled ? last + 1n : last;
}

function compareSequences(base: DatabaseSchema, target: DatabaseSchema): SchemaDifference[] {
  const out: SchemaDifference[] = [];
  const ownerTable = (s: SequenceInfo) =>
    s.ownedBy ? s.ownedBy.split('.').slice(0, 2).join('.') : undefined;
  for (const s of base.sequences) {
    const object = `${s.schema}.${s.name}`;
    const table = ownerTable(s);
    const other = target.sequences.find((o) => o.schema === s.schema && o.name === s.name);
    if (!other) {
      out.push({
        kind: 'sequence-missing',
        object,
        ...(table ? { table } : {}),
        detail: `sequence ${object} is missing from the target`,
      });
      continue;
    }
    const [a, b] = [nextValue(s), nextValue(other)];
    if (a !== b)
      out.push({
        kind: 'sequence-value',
        object,
        ...(table ? { table } : {}),
        detail: `sequence ${object} hands out ${a ?? 'nothing'} next in the baseline, ${b ?? 'nothing'} in the target`,
      });
  }
  // A sequence behind its own column's largest value makes the next insert collide, whatever the baseline says.
  for (const s of target.sequences) {
    const next = nextValue(s);
    const max = bigint(s.ownerMax);
    if (next !== null && max !== null && next <= max) {
      const table = ownerTable(s);
      out.push({
        kind: 'sequence-behind',
        object: `${s.schema}.${s.name}`,
        ...(table ? { table } : {}),
        detail: `sequence ${s.schema}.${s.name} in the target hands out ${next} next, but ${s.ownedBy} already holds ${max}: the next insert would collide`,
      });
    }
  }
  return out;
}

export function compareSchemas(base: DatabaseSchema, target: DatabaseSchema): SchemaDifference[] {
  const out: SchemaDifference[] = [];
  for (const t of base.tables) {
    const other = target.tables.find((o) => o.schema === t.schema && o.name === t.name);
    if (!other)
      out.push({
        kind: 'table-missing',
        object: tableName(t),
        table: tableName(t),
        detail: `table ${tableName(t)} is missing from the target`,
      });
    else out.push(...compareTables(t, other));
  }
  for (const t of target.tables)
    if (!base.tables.some((o) => o.schema === t.schema && o.name === t.name))
      out.push({
        kind: 'table-extra',
        object: tableName(t),
        table: tableName(t),
        detail: `table ${tableName(t)} exists only in the target`,
      });
  out.push(...compareSequences(base, target));
  for (const e of base.extensions) {
    const other = target.extensions.find((o) => o.name === e.name);
    if (!other)
      out.push({
        kind: 'extension-missing',
        object: e.name,
        detail: `extension ${e.name} ${e.version} is missing from the target`,
      });
    else if (other.version !== e.version)
      out.push({
        kind: 'extension-version',
        object: e.name,
        detail: `extension ${e.name} is ${e.version} in the baseline, ${other.version} in the target`,
      });
  }
  return out;
}
