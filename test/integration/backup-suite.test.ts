// The backup suite against the stand-in API server, through the real client: for every Backup phase
// and every Restore phase Velero defines, only `Completed` with zero errors is a pass, each other phase
// fails with what it means; an API server that does not answer is could-not-check, never a pass.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningKubeSim, startKubeSim, writeKubeconfig } from '../../sim/kube/index.js';
import { veleroFixtures } from '../../sim/kube/velero.js';
import { BACKUP_PHASES, RESTORE_PHASES } from '../../src/core/backup/velero.js';
import type { Evidence } from '../../src/core/evidence.js';
import type { CheckResult } from '../../src/core/model.js';
import { backupSuite } from '../../src/suites/backup/run.js';
import type { SuiteContext } from '../../src/suites/suite.js';
import { freePort, makeSimProject, tmpDir } from '../helpers/project.js';

let kube: RunningKubeSim | undefined;
afterEach(async () => {
  await kube?.stop();
  kube = undefined;
});

const slug = (phase: string) => `p-${phase.toLowerCase()}`;

/** Runs the suite against `server` with the backup section given; returns its checks and evidence. */
async function runSuite(server: string, backup: Record<string, unknown>, name: string) {
  const kubeconfig = writeKubeconfig(join(tmpDir(name), 'kubeconfig'), { server, context: 'sevensa-prod' });
  const p = await makeSimProject(name, (c) => {
    (c.environments.target as { kubeconfig?: string }).kubeconfig = kubeconfig;
    (c as { backup?: unknown }).backup = backup;
  });
  const checks: CheckResult[] = [];
  const evidence: Evidence[] = [];
  const ctx: SuiteContext = {
    config: p.config,
    environments: ['baseline', 'target'],
    services: Object.keys(p.config.services),
    runId: '20261207-050000-test',
    now: () => new Date(),
    faults: [],
    env: {},
    options: { backup: { pollMs: 20 } },
    log: () => undefined,
    check: (c) => checks.push(c),
    evidence: (e) => evidence.push(e),
  };
  await backupSuite.run(ctx, await backupSuite.plan(ctx));
  return { checks, evidence };
}

describe('the backup suite against the stand-in API server', () => {
  it('for every Backup phase Velero defines, only Completed with zero errors passes', async () => {
    const objects = veleroFixtures(
      Date.now(),
      BACKUP_PHASES.map((phase) => ({ name: slug(phase), namespaces: ['sevensa-apps'] })),
    );
    // Each schedule's newest backup in its own phase (errors on every phase but Completed).
    for (const phase of BACKUP_PHASES) {
      const newest = objects
        .filter((o) => o.kind === 'Backup' && o.metadata.labels?.['velero.io/schedule-name'] === slug(phase))
        .at(-1)!;
      newest.status = {
        ...(newest.status as object),
        phase,
        errors: phase === 'Completed' ? 0 : 2,
        failureReason: phase === 'Failed' ? 'bucket unreachable' : '',
      };
    }
    kube = await startKubeSim({ objects });
    const { checks } = await runSuite(
      kube.url,
      { schedules: BACKUP_PHASES.map((p) => ({ schedule: slug(p) })) },
      'backup-phases',
    );
    for (const phase of BACKUP_PHASES) {
      const c = checks.find((k) => k.check === `backup:${slug(phase)}`)!;
      expect(c.status, `${phase}: ${c.reason}`).toBe(phase === 'Completed' ? 'pass' : 'fail');
      expect(c.data).toMatchObject({ phase, name: expect.stringMatching(new RegExp(`^${slug(phase)}-`)) });
      // Its age runs from its completion, six minutes after its start four hours ago.
      expect(c.data?.ageSeconds).toBeGreaterThan(3.8 * 3600);
      if (phase !== 'Completed') expect(c.reason).toContain(`phase ${phase}`);
    }
    expect(checks.find((k) => k.check === 'backup:p-failed')!.reason).toMatch(/failed: bucket unreachable/);
  });

  it('for every Restore phase Velero defines, only Completed with zero errors passes the drill', async () => {
    const objects = veleroFixtures(
      Date.now(),
      RESTORE_PHASES.map((phase) => ({ name: slug(phase), namespaces: [`ns-${phase.toLowerCase()}`] })),
    );
    kube = await startKubeSim({
      objects,
      // A stand-in Velero that leaves each Restore in the phase its schedule is named after.
      setup: (cluster) =>
        cluster.on('Restore', (event) => {
          const r = event.object;
          if (event.type !== 'ADDED') return;
          const backup = String((r.spec as { backupName: string }).backupName);
          const phase = RESTORE_PHASES.find((p) => backup.startsWith(`${slug(p)}-`))!;
          setImmediate(() =>
            cluster.apply({
              ...r,
              status: { phase, errors: phase === 'Completed' ? 0 : 1, warnings: 1 },
            }),
          );
        }),
    });
    const { checks, evidence } = await runSuite(
      kube.url,
      {
        schedules: RESTORE_PHASES.map((p) => ({ schedule: slug(p) })),
        restoreDrill: { enabled: true, timeoutSeconds: 1 },
      },
      'restore-phases',
    );
    for (const phase of RESTORE_PHASES) {
      const c = checks.find((k) => k.check === `restore-drill:${slug(phase)}`)!;
      expect(c.status, `${phase}: ${c.reason}`).toBe(phase === 'Completed' ? 'pass' : 'fail');
      expect(c.data).toMatchObject({ phase, backup: expect.stringMatching(new RegExp(`^${slug(phase)}-`)) });
    }
    const final = ['Completed', 'PartiallyFailed', 'Failed', 'FailedValidation'];
    for (const phase of RESTORE_PHASES.filter((p) => !final.includes(p)))
      expect(checks.find((k) => k.check === `restore-drill:${slug(phase)}`)!.reason).toMatch(
        /did not finish within 1 s: it (is|has)/,
      );
    expect(checks.find((k) => k.check === 'restore-drill:p-completed')!.reason).toMatch(
      /Completed with 1 warning in \d+ s/,
    );
    // Every check of the environment is counted, so none can go missing unnoticed.
    const tally = evidence.find((e) => e.kind === 'coverage' && e.scope === 'backup');
    expect(tally).toMatchObject({
      status: 'complete',
      counts: { checks: checks.filter((c) => c.environment === 'target').length },
    });
  });

  it('an API server that does not answer is could-not-check, never a pass', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const { checks, evidence } = await runSuite(dead, { restoreDrill: { enabled: true } }, 'backup-dead');
    expect(checks.map((c) => [c.check, c.status])).toEqual([
      ['velero', 'skip'],
      ['restore-drill', 'skip'],
    ]);
    expect(
      evidence.filter((e) => e.kind === 'coverage').map((e) => e.kind === 'coverage' && [e.scope, e.status]),
    ).toEqual([
      ['velero', 'could-not-check'],
      ['restore-drill', 'could-not-check'],
      ['backup', 'complete'],
    ]);
    expect(checks[0]!.reason).toMatch(/cannot be reached/);
  });

  it('a cluster without Velero says so', async () => {
    kube = await startKubeSim({});
    const { checks } = await runSuite(kube.url, {}, 'backup-none');
    // The stand-in serves the CRDs, so an empty namespace: nothing to keep backups, nothing scheduled.
    expect(checks.map((c) => [c.check, c.status, c.reason])).toEqual([
      [
        'storage-location',
        'fail',
        'no BackupStorageLocation in namespace velero: Velero has nowhere to keep backups',
      ],
      ['schedule', 'fail', 'no Velero Schedule in namespace velero: nothing takes backups regularly'],
    ]);
  });
});
