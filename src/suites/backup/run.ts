// The backup suite: on every kubernetes environment, read Velero through the Kubernetes API — storage
// locations Available, schedules enabled with a last backup inside the recovery-point objective, each
// schedule's newest Backup Completed with zero errors — and, when the drill is on, restore the newest
// Completed backup into scratch namespaces and judge the Restore; for databases outside Velero, the
// logical drills. Checks (suite `backup`) feed `backup.failed == 0`; a part that could not look says so
// and never passes, and every check an environment records is counted in its coverage, so one lost from
// the record cannot pass by its absence.
import { assessVelero } from '../../core/backup/assess.js';
import type { Suite, SuiteContext } from '../suite.js';
import { couldNotCheck, recordCheck, recordCoverage } from './evidence.js';
import { type BackupPlan, planBackup, planEnvironments, plannedBackupChecks } from './plan.js';

async function checkCluster(ctx: SuiteContext, environment: string, plan: BackupPlan): Promise<void> {
  const env = ctx.config.environments[environment];
  if (env?.kind !== 'kubernetes') return;
  // Imported for a kubernetes environment only: client-node costs ~0.6 s of CPU to load.
  const { openKubeAccess } = await import('../../runners/kube/client.js');
  const { readVelero } = await import('../../runners/kube/velero.js');
  const kubeconfig = plan.options.kubeconfig ?? env.kubeconfig;
  const opened = openKubeAccess({
    ...(kubeconfig ? { kubeconfig } : {}),
    context: env.context,
    baseDir: ctx.config.rootDir,
    env: ctx.env,
    timeoutMs: ctx.config.backup.timeoutMs,
  });
  const nothing = (reason: string) => {
    couldNotCheck(ctx, environment, 'velero', 'velero', reason);
    if (plan.drill) couldNotCheck(ctx, environment, 'restore-drill', 'restore-drill', reason);
  };
  if (!opened.ok) return nothing(opened.reason);
  const access = opened.access;
  ctx.log(`backup: reading Velero in ${plan.namespace} through ${access.server} (context ${access.context})`);
  const read = await readVelero(access, plan.namespace);
  if (!read.ok) return nothing(read.reason);

  const checks = assessVelero({ namespace: plan.namespace, ...read }, plan.expect, ctx.now().getTime());
  for (const c of checks) recordCheck(ctx, environment, c);
  let drillChecks = 0;
  if (plan.drill) {
    const { runDrills } = await import('./drill.js');
    const schedules = plan.expect.schedules.length
      ? plan.expect.schedules
      : read.schedules.map((s) => ({
          schedule: s.metadata?.name ?? '',
          covers: [],
          rpoMs: plan.expect.rpoMs,
        }));
    drillChecks = await runDrills(ctx, environment, access, plan, schedules, read.backups);
  }
  recordCoverage(
    ctx,
    environment,
    'velero',
    'complete',
    `${read.locations.length} storage locations, ${read.schedules.length} schedules, ${read.backups.length} backups read in ${plan.namespace}`,
    {
      locations: read.locations.length,
      schedules: read.schedules.length,
      backups: read.backups.length,
      drillChecks,
    },
  );
}

async function checkEnvironment(ctx: SuiteContext, environment: string, plan: BackupPlan): Promise<void> {
  let recorded = 0;
  const counted: SuiteContext = {
    ...ctx,
    check: (c) => {
      recorded++;
      ctx.check(c);
    },
  };
  if (plan.clusters.includes(environment)) await checkCluster(counted, environment, plan);
  const logical = plan.logical.filter((l) => l.environment === environment);
  if (logical.length) {
    const { runLogicalDrills } = await import('./logical.js');
    await runLogicalDrills(counted, environment, logical);
    recordCoverage(ctx, environment, 'logical-drill', 'complete', `${logical.length} logical drills run`, {
      drills: logical.length,
    });
  }
  // Last, with every check of this environment counted: a gate then knows how many to expect.
  recordCoverage(ctx, environment, 'backup', 'complete', `${recorded} backup checks recorded`, {
    checks: recorded,
  });
}

export const backupSuite: Suite<BackupPlan> = {
  id: 'backup',
  title: 'Backups: Velero storage locations, schedules inside the RPO, the newest backups, a restore drill',
  byDefault: true,
  plan: async (ctx) => planBackup(ctx.config, ctx.environments, ctx.options.backup, ctx.env),
  plannedChecks: (plan) => plannedBackupChecks(plan),
  run: async (ctx, plan) => {
    for (const note of plan.notes) ctx.log(`backup: note: ${note}`);
    for (const environment of planEnvironments(plan)) {
      if (ctx.signal?.aborted) return;
      await checkEnvironment(ctx, environment, plan);
    }
  },
};
