// The data suite's plan and evidence: passwords from environment variables (a missing one named, never a
// value in the plan's description), and checks per table that a gate reads as `data-parity` — a table
// that could not be compared is skipped and makes the coverage partial, so no gate passes over it.
import { describe, expect, it } from 'vitest';
import type { TableDiff } from '../../src/core/data/index.js';
import { dataSchema } from '../../src/suites/data/define.js';
import { databaseChecks, dataCoverage, describeTable, tableCheck } from '../../src/suites/data/evidence.js';
import { describeDataPlan, planData } from '../../src/suites/data/plan.js';

const settings = dataSchema.parse({
  databases: {
    'rentguy-db': {
      service: 'rentguy-api',
      environments: {
        baseline: { host: '127.0.0.1', database: 'rentguy', user: 'app', passwordEnv: 'RG_PW' },
        target: {
          host: 'db.k8s',
          port: 6432,
          database: 'rentguy',
          user: 'app',
          passwordEnv: 'RG_PW',
          tls: { mode: 'require' },
        },
      },
    },
  },
});
const table = (over: Partial<TableDiff>): TableDiff => ({
  table: 'public.bookings',
  status: 'equal',
  key: ['id'],
  counts: { baseline: 10, target: 10 },
  missing: [],
  extra: [],
  changed: [],
  truncated: false,
  warnings: [],
  schema: [],
  ...over,
});

describe('data suite plan', () => {
  it('reads passwords from the named variable, and says which is missing', () => {
    const plan = planData({
      settings,
      environments: ['baseline', 'target'],
      env: { RG_PW: 's3cret' },
      readCa: () => '',
    });
    expect(plan.databases[0]).toMatchObject({
      id: 'rentguy-db',
      service: 'rentguy-api',
      baseline: { host: '127.0.0.1', port: 5432, password: 's3cret' },
      target: { port: 6432, ssl: { rejectUnauthorized: false } },
    });
    expect(describeDataPlan(plan).join()).not.toContain('s3cret');
    const missing = planData({ settings, environments: ['baseline', 'target'], env: {}, readCa: () => '' });
    expect(missing.databases[0]!.problem).toBe('baseline: the password variable RG_PW is not set');
  });
});

describe('data suite evidence', () => {
  it('names the first differing keys and changed columns in a failed check', () => {
    const t = table({
      status: 'different',
      counts: { baseline: 10, target: 8 },
      missing: [{ id: '4' }, { id: '9' }],
      changed: [{ key: { id: '7' }, columns: ['status', 'ends_at'] }],
    });
    expect(describeTable(t)).toBe(
      '10 rows in the baseline, 8 in the target; 2 missing from the target (id=4, id=9); 1 changed (id=7: status, ends_at)',
    );
    expect(tableCheck('rentguy-db', 'rentguy-api', t)).toMatchObject({
      service: 'rentguy-api',
      check: 'rentguy-db public.bookings',
      status: 'fail',
      data: { firstKey: 'id=4', missing: 2, changed: 1 },
    });
  });

  it('skips a table that could not be compared, with its reason, and the coverage is partial', () => {
    const checks = databaseChecks('rentguy-db', 'rentguy-api', {
      baseline: 'a',
      target: 'b',
      schema: [],
      tables: [
        table({}),
        table({
          table: 'public.secret',
          status: 'inconclusive',
          reason: 'permission denied for table secret',
        }),
      ],
      stats: { queries: 1, bytes: 1, ms: 1 },
    });
    expect(checks.map((c) => `${c.check} ${c.status}`)).toEqual([
      'rentguy-db public.bookings pass',
      'rentguy-db public.secret skip',
      'rentguy-db schema pass',
    ]);
    expect(checks[1]!.reason).toBe('could not be compared: permission denied for table secret');
    expect(dataCoverage('target', checks, 'now')).toMatchObject({
      suite: 'data-parity',
      status: 'partial',
      counts: { checks: 3 },
    });
    expect(dataCoverage('target', [], 'now').status).toBe('could-not-check');
  });

  it('makes a database it could not open one skipped check', () => {
    const checks = databaseChecks('rentguy-db', 'rentguy-api', {
      baseline: 'a',
      target: 'b',
      error: 'connection refused',
      schema: [],
      tables: [],
      stats: { queries: 0, bytes: 0, ms: 0 },
    });
    expect(checks).toEqual([
      {
        service: 'rentguy-api',
        check: 'rentguy-db connection',
        status: 'skip',
        reason: 'connection refused',
      },
    ]);
  });
});
