// The backup suite's plan: the config's section read into what the suite will do, and the mistakes a
// user must fix refused before anything is sent — a password variable that is not set, a logical drill
// on an unknown environment, a recovery-point objective that is no duration.
import { describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import { UserError } from '../../src/core/errors.js';
import { planBackup, plannedBackupChecks } from '../../src/suites/backup/plan.js';

function config(backup: unknown): ResolvedConfig {
  const parsed = configSchema.parse({
    project: 'p',
    environments: {
      baseline: {
        kind: 'compose',
        composeFile: 'docker-compose.yml',
        services: { api: { url: 'http://127.0.0.1:1' } },
      },
      target: {
        kind: 'kubernetes',
        context: 'prod',
        namespaces: ['apps'],
        services: { api: { url: 'http://127.0.0.1:2' } },
      },
    },
    services: { api: { tier: 'application', phase: 3, health: { path: '/health' } } },
    backup,
  });
  return { ...parsed, configFile: '/p/cutover.config.mjs', rootDir: '/p', reportsPath: '/p/reports' };
}

const db = (passwordEnv?: string) => ({
  host: 'db',
  database: 'app',
  user: 'u',
  ...(passwordEnv ? { passwordEnv } : {}),
});

describe('planBackup', () => {
  it('plans the kubernetes environments, each schedule with its own RPO, the drill only when on', () => {
    const c = config({
      rpo: '36h',
      schedules: [
        { schedule: 'nightly', covers: ['api'] },
        { schedule: 'hourly', rpo: '2h' },
      ],
    });
    const plan = planBackup(c, ['baseline', 'target']);
    expect(plan.clusters).toEqual(['target']);
    expect(plan.expect.schedules.map((s) => [s.schedule, s.rpoMs / 3_600_000])).toEqual([
      ['nightly', 36],
      ['hourly', 2],
    ]);
    expect(plan.drill).toBeUndefined();
    expect(plannedBackupChecks(plan)).toBe(1 + 2 + 2);
    const drilled = planBackup(c, ['target'], { restoreDrill: true, pollMs: 50 });
    expect(drilled.drill).toMatchObject({ pollMs: 50, timeoutMs: 600_000, scratchPrefix: 'cutover-drill' });
    expect(plannedBackupChecks(drilled)).toBe(1 + 3 + 3);
  });

  it('reads passwords from the environment by name, and refuses a variable that is not set', () => {
    const c = config({
      schedules: [
        { schedule: 'nightly', verify: [{ name: 'app-db', live: db('LIVE_PW'), restored: db('COPY_PW') }] },
      ],
      restoreDrill: { enabled: true },
      logical: [{ name: 'billing', connection: db('BILLING_PW') }],
    });
    const plan = planBackup(c, ['target'], {}, { LIVE_PW: 'a', COPY_PW: 'b', BILLING_PW: 'c' });
    expect(plan.drill?.verify.nightly).toMatchObject([{ livePassword: 'a', restoredPassword: 'b' }]);
    expect(plan.logical).toMatchObject([{ environment: 'target', password: 'c' }]);
    expect(() => planBackup(c, ['target'], {}, { LIVE_PW: 'a' })).toThrow(UserError);
    try {
      planBackup(c, ['target'], {}, { LIVE_PW: 'a' });
    } catch (error) {
      expect((error as UserError).details).toEqual([
        'backup.schedules[0].verify[0] (app-db).restored.passwordEnv: the environment variable COPY_PW is not set',
        'backup.logical[0] (billing).connection.passwordEnv: the environment variable BILLING_PW is not set',
      ]);
    }
  });

  it('a logical drill on an unknown environment is refused; one on an environment not selected is left out', () => {
    expect(() =>
      planBackup(config({ logical: [{ name: 'x', environment: 'staging', connection: db() }] }), ['target']),
    ).toThrow('backup.logical[0] (x).environment: unknown environment "staging"; known: baseline, target');
    expect(planBackup(config({ logical: [{ name: 'x', connection: db() }] }), ['baseline']).logical).toEqual(
      [],
    );
  });

  it('the schema refuses an RPO that is no duration', () => {
    expect(() => config({ rpo: 'daily' })).toThrow(/expected a duration such as 24h, 36h or 7d/);
  });
});

describe('backup connections: the data suite shape, and the old ssl', () => {
  it('reads tls as the data suite does, with no note', () => {
    const c = config({
      logical: [
        { name: 'billing-db', connection: { ...db(), tls: { mode: 'verify-full', caFile: 'ca.pem' } } },
      ],
    });
    expect(c.backup.logical[0]!.connection.tls).toEqual({ mode: 'verify-full', caFile: 'ca.pem' });
    expect(planBackup(c, ['target']).notes).toEqual([]);
  });

  it('still accepts ssl for this release, as the tls it means, and the run notes where it is written', () => {
    const c = config({
      schedules: [
        { schedule: 'nightly', verify: [{ name: 'app-db', live: { ...db(), ssl: true }, restored: db() }] },
      ],
      logical: [
        { name: 'a-db', connection: { ...db(), ssl: { caFile: 'ca.pem' } } },
        { name: 'b-db', connection: { ...db(), ssl: { insecure: true } } },
        { name: 'c-db', connection: { ...db(), ssl: false } },
      ],
    });
    expect(c.backup.logical.map((l) => l.connection.tls)).toEqual([
      { mode: 'verify-full', caFile: 'ca.pem' },
      { mode: 'require' },
      { mode: 'disable' },
    ]);
    expect(c.backup.schedules[0]!.verify[0]!.live.tls).toEqual({ mode: 'verify-full' });
    const notes = planBackup(c, ['target']).notes;
    expect(notes).toHaveLength(4);
    expect(notes[0]).toMatch(
      /^backup\.schedules\[0\]\.verify\[0\]\.live\.ssl is the old name of tls .*it still works in this release/,
    );
    expect(notes.slice(1).map((n) => n.split(' ')[0])).toEqual([
      'backup.logical[0].connection.ssl',
      'backup.logical[1].connection.ssl',
      'backup.logical[2].connection.ssl',
    ]);
  });

  it('refuses ssl beside tls, naming the field', () => {
    expect(() =>
      config({ logical: [{ name: 'a-db', connection: { ...db(), ssl: true, tls: { mode: 'require' } } }] }),
    ).toThrow(
      /"logical",\s*0,\s*"connection",\s*"ssl"[\s\S]*give tls only: ssl is its old name|give tls only: ssl is its old name[\s\S]*"logical",\s*0,\s*"connection",\s*"ssl"/,
    );
  });
});
