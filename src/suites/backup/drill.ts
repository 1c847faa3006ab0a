// The restore drill on one cluster: for each schedule, restore its newest Completed backup into scratch
// namespaces (`PREFIX-NAMESPACE`, which must not exist yet), wait for the Restore with the deadline,
// judge its end, then delete the scratch namespaces and the Restore. A drill that cannot start is a
// failed check when Velero said why (no Completed backup), a could-not-check when the API did.
import { CoreV1Api } from '@kubernetes/client-node';
import type { ScheduleTarget } from '../../core/backup/assess.js';
import { drillRestoreName, drillSource, judgeDrill, scratchNamespace } from '../../core/backup/drill.js';
import type { VeleroObject } from '../../core/backup/velero.js';
import { call, type KubeAccess } from '../../runners/kube/client.js';
import { cleanUpDrill, runRestore } from '../../runners/kube/velero.js';
import type { SuiteContext } from '../suite.js';
import { recordCheck, recordCoverage } from './evidence.js';
import type { BackupPlan } from './plan.js';

async function namespaceExists(access: KubeAccess, name: string): Promise<boolean> {
  const core = access.kc.makeApiClient(CoreV1Api);
  return call(access, `read Namespace ${name}`, () => core.readNamespace({ name })).then(
    () => true,
    (e: { kind?: string }) => {
      if (e.kind === 'not-found') return false;
      throw e;
    },
  );
}

/** Runs the drill of each schedule; returns how many checks it recorded (the coverage counts them). */
export async function runDrills(
  ctx: SuiteContext,
  environment: string,
  access: KubeAccess,
  plan: BackupPlan,
  schedules: readonly ScheduleTarget[],
  backups: readonly VeleroObject[],
): Promise<number> {
  const drill = plan.drill!;
  let ran = 0;
  let recorded = 0;
  const problems: string[] = [];
  for (const t of schedules) {
    if (ctx.signal?.aborted) break;
    const covers = t.covers.length ? t.covers : ['velero'];
    const record = (ok: boolean, reason: string, data: Record<string, string | number | boolean | null>) => {
      for (const service of covers) {
        recordCheck(ctx, environment, { service, check: `restore-drill:${t.schedule}`, ok, reason, data });
        recorded++;
      }
    };
    const source = drillSource(backups, t.schedule, ctx.now().getTime());
    if (!source.ok) {
      record(false, `restore drill of ${t.schedule}: ${source.reason}`, { schedule: t.schedule });
      continue;
    }
    const mapping = Object.fromEntries(
      source.namespaces.map((n) => [n, scratchNamespace(drill.scratchPrefix, n)]),
    );
    const scratch = Object.values(mapping);
    try {
      const taken = [];
      for (const n of scratch) if (await namespaceExists(access, n)) taken.push(n);
      if (taken.length) {
        record(
          false,
          `restore drill of ${t.schedule}: scratch namespace ${taken.join(', ')} already exists (an earlier drill not cleaned up?); delete it or change backup.restoreDrill.scratchPrefix`,
          { schedule: t.schedule, backup: source.name },
        );
        continue;
      }
    } catch (error) {
      problems.push(`${t.schedule}: ${(error as Error).message}`);
      continue;
    }
    const name = drillRestoreName(drill.scratchPrefix, t.schedule, ctx.runId.replace(/^\d{8}-/, ''));
    ctx.log(
      `backup: restoring ${source.name} into ${scratch.join(', ')} (Restore ${plan.namespace}/${name})`,
    );
    const end = await runRestore(access, {
      namespace: plan.namespace,
      name,
      backupName: source.name,
      namespaceMapping: mapping,
      timeoutMs: drill.timeoutMs,
      pollMs: drill.pollMs,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    if (!end.ok) {
      problems.push(`${t.schedule}: ${end.reason}`);
      continue;
    }
    ran++;
    const judged = judgeDrill(source, {
      ...end,
      timeoutMs: drill.timeoutMs,
      failOnWarnings: drill.failOnWarnings,
    });
    const s = end.restore.status ?? {};
    record(judged.ok, judged.reason, {
      restore: name,
      backup: source.name,
      backupAgeSeconds: source.ageMs === undefined ? null : Math.round(source.ageMs / 1000),
      phase: judged.phase,
      errors: s.errors ?? 0,
      warnings: s.warnings ?? 0,
      itemsRestored: s.progress?.itemsRestored ?? null,
      waitedSeconds: Math.round(end.waitedMs / 1000),
      scratch: scratch.join(','),
    });
    const verify = drill.verify[t.schedule] ?? [];
    if (verify.length) {
      const { verifyRestoredData } = await import('./restored-data.js');
      recorded += await verifyRestoredData(ctx, environment, {
        schedule: t.schedule,
        covers: t.covers,
        verify,
        mapping,
        // A Restore that ended PartiallyFailed has restored what it could: comparing that with the live
        // database says what came back and what did not (the drill's own check has failed already).
        restored: judged.ok || judged.phase === 'PartiallyFailed',
        pollMs: drill.pollMs,
      });
    }
    if (drill.cleanUp) {
      const left = await cleanUpDrill(access, plan.namespace, name, scratch);
      if (left.length) ctx.log(`backup: drill clean-up incomplete: ${left.join('; ')}`);
    }
  }
  recordCoverage(
    ctx,
    environment,
    'restore-drill',
    problems.length === 0 ? 'complete' : ran > 0 ? 'partial' : 'could-not-check',
    problems.length === 0
      ? `${ran} restore drill${ran === 1 ? '' : 's'} run`
      : `${ran} restore drills run; could not run: ${problems.join('; ')}`,
    { drills: ran },
  );
  return recorded;
}
