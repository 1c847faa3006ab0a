// The data diff's pure parts (src/core/data/): bisection planning, the row comparison at the bottom of
// it, schema comparison, and the generated SQL's shape (pinned normalisation per type, byte-order text keys).
import { describe, expect, it } from 'vitest';
import {
  bucketChecksumsQuery,
  changedColumns,
  checksumQuery,
  compareHashCounts,
  compareRowHashes,
  compareSchemas,
  type DatabaseSchema,
  formatKey,
  indexShape,
  normalisedExpression,
  rowHashesQuery,
  segmentsBetween,
  splitIntegerRange,
  type TableInfo,
} from '../../src/core/data/index.js';

const table = (over: Partial<TableInfo> = {}): TableInfo => ({
  schema: 'public',
  name: 'bookings',
  columns: [
    {
      name: 'id',
      type: 'integer',
      baseType: 'int4',
      notNull: true,
      default: "nextval('bookings_id_seq'::regclass)",
    },
    {
      name: 'starts_at',
      type: 'timestamp without time zone',
      baseType: 'timestamp',
      notNull: false,
      default: null,
    },
  ],
  key: ['id'],
  keySource: 'primary key',
  constraints: [{ name: 'bookings_pkey', kind: 'p', definition: 'PRIMARY KEY (id)' }],
  indexes: [
    {
      name: 'bookings_pkey',
      definition: 'CREATE UNIQUE INDEX bookings_pkey ON public.bookings USING btree (id)',
    },
    {
      name: 'bookings_starts_idx',
      definition: 'CREATE INDEX bookings_starts_idx ON public.bookings USING btree (starts_at)',
    },
  ],
  ...over,
});
const db = (over: Partial<DatabaseSchema> = {}): DatabaseSchema => ({
  tables: [table()],
  sequences: [
    {
      schema: 'public',
      name: 'bookings_id_seq',
      lastValue: '100',
      isCalled: true,
      ownedBy: 'public.bookings.id',
      ownerMax: '100',
    },
  ],
  extensions: [{ name: 'plpgsql', version: '1.0' }],
  ...over,
});

describe('bisection planning', () => {
  it('splits an integer range evenly, strictly inside it', () => {
    expect(splitIntegerRange(1n, 100n, 4)).toEqual([26n, 51n, 76n]);
    expect(splitIntegerRange(5n, 6n, 32)).toEqual([6n]);
    expect(splitIntegerRange(5n, 5n, 32)).toEqual([]);
    // Beyond 2^53: exact, not floating point.
    expect(splitIntegerRange(9007199254740993n, 9007199254740996n, 2)).toEqual([9007199254740995n]);
  });

  it('turns boundaries into half-open segments covering the parent', () => {
    expect(segmentsBetween({ lo: ['1'], hi: null }, [['10'], ['20']])).toEqual([
      { lo: ['1'], hi: ['10'] },
      { lo: ['10'], hi: ['20'] },
      { lo: ['20'], hi: null },
    ]);
  });

  it('compares downloaded rows by key: missing, extra and changed, compound keys kept apart', () => {
    const cmp = compareRowHashes(
      [
        { key: ['a', '1'], hash: 'x' },
        { key: ['a', '11'], hash: 'y' },
        { key: ['b', '2'], hash: 'z' },
      ],
      [
        { key: ['a', '11'], hash: 'y2' },
        { key: ['a1', '1'], hash: 'x' },
        { key: ['b', '2'], hash: 'z' },
      ],
    );
    expect(cmp).toEqual({ missing: [['a', '1']], extra: [['a1', '1']], changed: [['a', '11']] });
    expect(changedColumns(['a', 'b', 'c'], ['1', null, 'x'], ['1', '', 'x'])).toEqual(['b']);
  });

  it('compares keyless tables as multisets of rows', () => {
    const { missing, extra } = compareHashCounts(
      new Map([
        ['h1', 2],
        ['h2', 1],
      ]),
      new Map([
        ['h1', 1],
        ['h3', 1],
      ]),
    );
    expect(missing).toEqual([
      { hash: 'h1', count: 1 },
      { hash: 'h2', count: 1 },
    ]);
    expect(extra).toEqual([{ hash: 'h3', count: 1 }]);
  });

  it('names keys for messages', () => {
    expect(formatKey({ id: '5' })).toBe('id=5');
    expect(formatKey({ tenant: 'a', id: '5' })).toBe('(tenant=a, id=5)');
  });
});

describe('schema comparison', () => {
  it('finds nothing between equal schemas', () => {
    expect(compareSchemas(db(), db())).toEqual([]);
  });

  it('names a missing index, matched by definition rather than by its generated name', () => {
    const renamed = table({
      indexes: [
        {
          name: 'bookings_pkey',
          definition: 'CREATE UNIQUE INDEX bookings_pkey ON public.bookings USING btree (id)',
        },
        {
          name: 'other_name',
          definition: 'CREATE INDEX other_name ON public.bookings USING btree (starts_at)',
        },
      ],
    });
    expect(compareSchemas(db(), db({ tables: [renamed] }))).toEqual([]);
    const without = table({ indexes: [table().indexes[0]!] });
    const diffs = compareSchemas(db(), db({ tables: [without] }));
    expect(diffs).toEqual([
      expect.objectContaining({
        kind: 'index-missing',
        object: 'public.bookings_starts_idx',
        table: 'public.bookings',
      }),
    ]);
    expect(indexShape('CREATE UNIQUE INDEX x ON public.t USING btree (a)')).toBe(
      'CREATE UNIQUE INDEX ON public.t USING btree (a)',
    );
  });

  it('names column type, nullability and default changes, and missing tables', () => {
    const changed = table({
      columns: [
        { ...table().columns[0]!, default: null },
        {
          name: 'starts_at',
          type: 'timestamp(0) without time zone',
          baseType: 'timestamp',
          notNull: true,
          default: null,
        },
      ],
    });
    const kinds = compareSchemas(db(), db({ tables: [changed] })).map((d) => `${d.kind} ${d.object}`);
    expect(kinds).toEqual([
      'column-default public.bookings.id',
      'column-type public.bookings.starts_at',
      'column-nullability public.bookings.starts_at',
    ]);
    expect(compareSchemas(db(), db({ tables: [] })).map((d) => d.kind)).toContain('table-missing');
  });

  it('finds a sequence behind its own column, and a sequence that differs from the baseline', () => {
    const behind = db({
      sequences: [
        {
          schema: 'public',
          name: 'bookings_id_seq',
          lastValue: '40',
          isCalled: true,
          ownedBy: 'public.bookings.id',
          ownerMax: '100',
        },
      ],
    });
    const diffs = compareSchemas(db(), behind);
    expect(diffs.map((d) => d.kind)).toEqual(['sequence-value', 'sequence-behind']);
    expect(diffs[1]).toMatchObject({ object: 'public.bookings_id_seq', table: 'public.bookings' });
    // Not yet called: the next value is last_value itself.
    const fresh = db({
      sequences: [
        {
          schema: 'public',
          name: 'bookings_id_seq',
          lastValue: '101',
          isCalled: false,
          ownedBy: 'public.bookings.id',
          ownerMax: '100',
        },
      ],
    });
    expect(compareSchemas(db(), fresh)).toEqual([]);
  });

  it('names missing extensions and other versions', () => {
    expect(
      compareSchemas(db({ extensions: [{ name: 'pgcrypto', version: '1.3' }] }), db({ extensions: [] }))[0],
    ).toMatchObject({
      kind: 'extension-missing',
      object: 'pgcrypto',
    });
  });
});

describe('generated SQL', () => {
  it('normalises values equal in meaning to one text, independent of session settings', () => {
    expect(normalisedExpression({ name: 'n', baseType: 'numeric' })).toBe('trim_scale("n")::text');
    expect(normalisedExpression({ name: 't', baseType: 'timestamptz' })).toContain(`AT TIME ZONE 'UTC'`);
    expect(normalisedExpression({ name: 'j', baseType: 'json' })).toBe('"j"::jsonb::text');
    expect(normalisedExpression({ name: 'b', baseType: 'bytea' })).toBe(`encode("b", 'hex')`);
    expect(normalisedExpression({ name: 'we"ird', baseType: 'text' })).toBe('"we""ird"::text');
  });

  it('checksums every sub-segment of a split in one scan, bucketed by the boundaries', () => {
    const t = table();
    const q = bucketChecksumsQuery(t, t.columns, { lo: ['1'], hi: null }, [['10'], ['20']]);
    expect(q.text).toContain(
      'SELECT CASE WHEN "id" < $2::integer THEN 0 WHEN "id" < $3::integer THEN 1 ELSE 2 END AS b',
    );
    expect(q.text).toContain('WHERE "id" >= $1::integer');
    expect(q.text).toMatch(/GROUP BY 1$/);
    expect(q.values).toEqual(['1', '10', '20']);
  });

  it('ranges by key with parameters cast to the key type, text keys in byte order', () => {
    const t = table({
      columns: [
        { name: 'tenant', type: 'text', baseType: 'text', notNull: true, default: null },
        { name: 'id', type: 'bigint', baseType: 'int8', notNull: true, default: null },
      ],
      key: ['tenant', 'id'],
    });
    const q = checksumQuery(t, t.columns, { lo: ['a', '1'], hi: ['b', '2'] });
    expect(q.text).toContain(`ROW("tenant" COLLATE "C", "id") >= ROW($1::text COLLATE "C", $2::bigint)`);
    expect(q.text).toContain('< ROW($3::text COLLATE "C", $4::bigint)');
    expect(q.text).toContain('FROM ONLY "public"."bookings"');
    expect(q.values).toEqual(['a', '1', 'b', '2']);
    // Name-sorted explicit columns in the row hash, ordered by the key.
    expect(rowHashesQuery(t, t.columns, { lo: null, hi: null }).text).toMatch(
      /ORDER BY "tenant" COLLATE "C", "id"$/,
    );
  });
});
