// End to end: `cutover demo --suite backup` against the simulated cluster's Velero — a healthy
// installation passes phase 4's backup criterion with every backup named and aged and the restore drills
// Completed; each Velero fault turns it to FAIL, naming the backup or restore and why.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSimProject, runCli } from '../helpers/project.js';

type Check = {
  suite: string;
  service: string;
  check: string;
  status: string;
  reason: string;
  data?: Record<string, unknown>;
};
type Criterion = { id: string; status: string; reason: string };

async function demo(name: string, faults: string[]) {
  const p = await makeSimProject(name);
  const r = await runCli(['demo', '--suite', 'backup', '--json', ...faults.flatMap((f) => ['--fault', f])], {
    cwd: p.dir,
    timeoutMs: 60_000,
  });
  expect(r.stdout, r.stderr).not.toBe('');
  const summary = JSON.parse(r.stdout) as { reportDir: string; runId: string };
  const run = JSON.parse(readFileSync(join(p.dir, summary.reportDir, 'run.json'), 'utf8')) as {
    checks: Check[];
  };
  const gate = await runCli(['gate', '--phase', '4', '--run', summary.runId, '--json'], { cwd: p.dir });
  const judged = JSON.parse(gate.stdout) as { criteria: Criterion[] };
  const backup = judged.criteria.find((c) => c.id === 'backup')!;
  return { checks: run.checks.filter((c) => c.suite === 'backup'), backup };
}

describe('cutover demo --suite backup', () => {
  it('a healthy Velero passes phase 4 backup criterion: backups named and aged, drills Completed', async () => {
    const { checks, backup } = await demo('backup-healthy', []);
    expect(backup.status, backup.reason).toBe('PASS');
    expect(checks.filter((c) => c.status !== 'pass')).toEqual([]);
    const rentguy = checks.find(
      (c) => c.service === 'rentguy-api' && c.check === 'backup:nightly-sevensa-apps',
    )!;
    expect(rentguy.reason).toMatch(/^Backup nightly-sevensa-apps-\d{14} Completed, 4 h old \(RPO 24 h\)$/);
    expect(rentguy.data).toMatchObject({ phase: 'Completed', errors: 0 });
    expect(checks.filter((c) => c.check.startsWith('restore-drill:'))).toHaveLength(10);
    // The drill of the applications' namespace restored a pg_dump of each of its databases, and each
    // restored copy equals the live one row for row (3 databases, once per covered service).
    const restored = checks.filter((c) => c.check.startsWith('restore-data:'));
    expect(restored.map((c) => `${c.service} ${c.check}`).sort()).toEqual(
      ['psra-api', 'rentguy-api', 'wpcs-api'].flatMap((s) =>
        ['psra-db', 'rentguy-db', 'wpcs-db'].map((d) => `${s} restore-data:${d}`),
      ),
    );
    expect(restored.find((c) => c.check === 'restore-data:rentguy-db')!.reason).toMatch(
      /^the restored rentguy-db \(127\.0\.0\.1:\d+\/rentguy-cutover-drill-sevensa-apps\) equals the live database: 2 tables, 1620 rows, same schema$/,
    );
  });

  it('backup-failed: the newest backup PartiallyFailed fails the criterion, named', async () => {
    const { backup } = await demo('backup-failed', ['target:velero:backup-failed']);
    expect(backup.status).toBe('FAIL');
    expect(backup.reason).toMatch(
      /rentguy-api backup:nightly-sevensa-apps: Backup nightly-sevensa-apps-\d{14} partially failed with 3 errors \(phase PartiallyFailed\)|openbao backup:nightly-sevensa-infra: Backup nightly-sevensa-infra-\d{14} partially failed with 3 errors/,
    );
  });

  it('backup-stale: the newest backup beyond the RPO fails, with its age', async () => {
    const { checks, backup } = await demo('backup-stale', ['target:velero:backup-stale']);
    expect(backup.status).toBe('FAIL');
    const stale = checks.find(
      (c) => c.service === 'rentguy-api' && c.check === 'backup:nightly-sevensa-apps',
    )!;
    expect(stale.status).toBe('fail');
    expect(stale.reason).toMatch(/Completed 30 h ago, beyond the recovery-point objective of 24 h/);
    expect(checks.find((c) => c.check === 'schedule:nightly-sevensa-apps')!.reason).toMatch(
      /last backup 30 h ago/,
    );
  });

  it('restore-partial: the drill ends PartiallyFailed, and the restored databases miss rows, named by key', async () => {
    const { checks, backup } = await demo('restore-partial', ['target:velero:restore-partial']);
    expect(backup.status).toBe('FAIL');
    const failed = checks.filter((c) => c.status === 'fail');
    expect(failed.filter((c) => c.check.startsWith('restore-drill:'))).toHaveLength(10);
    expect(failed.find((c) => c.check.startsWith('restore-drill:'))!.reason).toMatch(
      /^Restore cutover-drill-nightly-\S+ of backup nightly-\S+ \(4 h old\) partially failed with 2 errors \(phase PartiallyFailed\)$/,
    );
    // What came back was compared with the live databases: the newest rows did not.
    const lost = failed.filter((c) => c.check.startsWith('restore-data:'));
    expect(lost).toHaveLength(9);
    expect(failed.length).toBe(19);
    expect(lost.find((c) => c.check === 'restore-data:rentguy-db')!.reason).toMatch(
      /differs from the live database: public\.bookings: 1500 rows live, 1480 restored; 20 missing from the restore \(id=\d+, id=\d+, id=\d+\)/,
    );
    expect(lost.find((c) => c.check === 'restore-data:wpcs-db')!.reason).toMatch(
      /public\.page_views: 900 rows live, 880 restored; 20 missing from the restore/,
    );
    expect(backup.reason).toMatch(/^backup\.failed = 19 over \d+ checks/);
  });
});
