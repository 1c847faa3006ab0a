// How a restored database is judged against the live one from the data diff: equal passes; a schema
// difference, a differing table (named with its first keys and columns) or an uncompared table does not.
import { describe, expect, it } from 'vitest';
import { judgeRestoredData } from '../../src/core/backup/restored-data.js';
import type { DatabaseDiff, TableDiff } from '../../src/core/data/model.js';

const table = (over: Partial<TableDiff> = {}): TableDiff => ({
  table: 'public.bookings',
  status: 'equal',
  key: ['id'],
  counts: { baseline: 250, target: 250 },
  missing: [],
  extra: [],
  changed: [],
  truncated: false,
  warnings: [],
  schema: [],
  ...over,
});
const diff = (tables: TableDiff[], over: Partial<DatabaseDiff> = {}): DatabaseDiff => ({
  baseline: 'live',
  target: 'copy',
  schema: [],
  tables,
  stats: { queries: 10, bytes: 100, ms: 5 },
  ...over,
});

describe('judgeRestoredData', () => {
  it('an equal copy passes, with tables and rows counted', () => {
    expect(
      judgeRestoredData(
        diff([table(), table({ table: 'public.equipment', counts: { baseline: 40, target: 40 } })]),
        'the copy',
      ),
    ).toMatchObject({
      ok: true,
      reason: 'the copy equals the live database: 2 tables, 290 rows, same schema',
      data: { tables: 2, rows: 290, differingTables: 0 },
    });
  });

  it('missing and changed rows are named with their keys and columns', () => {
    const j = judgeRestoredData(
      diff([
        table({
          status: 'different',
          counts: { baseline: 250, target: 245 },
          missing: [{ id: '3' }, { id: '9' }, { id: '12' }, { id: '40' }, { id: '41' }],
          changed: [{ key: { id: '7' }, columns: ['starts_at'] }],
        }),
      ]),
      'the copy',
    );
    expect(j.ok).toBe(false);
    expect(j.reason).toBe(
      'the copy differs from the live database: public.bookings: 250 rows live, 245 restored; 5 missing from the restore (id=3, id=9, id=12); 1 changed (id=7: starts_at)',
    );
  });

  it('a schema difference, an uncompared table or a comparison that failed is not a pass', () => {
    expect(
      judgeRestoredData(
        diff([table()], {
          schema: [
            {
              kind: 'index-missing',
              object: 'public.bookings_starts',
              detail: 'index bookings_starts missing',
            },
          ],
        }),
        'c',
      ).ok,
    ).toBe(false);
    const inconclusive = judgeRestoredData(
      diff([table({ status: 'inconclusive', reason: 'permission denied' })]),
      'c',
    );
    expect(inconclusive).toMatchObject({ ok: false });
    expect(inconclusive.reason).toMatch(/public.bookings could not be compared \(permission denied\)/);
    expect(judgeRestoredData(diff([], { error: 'connection refused' }), 'c').reason).toBe(
      'c could not be compared with the live database: connection refused',
    );
  });
});
