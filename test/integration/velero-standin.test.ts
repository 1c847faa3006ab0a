// Velero on the stand-in API server, through the real @kubernetes/client-node: its CRDs are served
// (list, get, create, watch, namespaced), the fixtures are a healthy installation, and the controller
// moves a Restore through Velero's phases into a scratch namespace — PartiallyFailed under the
// restore-partial fault, FailedValidation when the backup does not exist.
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi, KubeConfig, Watch } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningKubeSim, startKubeSim, writeKubeconfig } from '../../sim/kube/index.js';
import { installVeleroSim, type VeleroSimOptions, veleroFixtures } from '../../sim/kube/velero.js';
import { openKubeAccess } from '../../src/runners/kube/client.js';
import { readVelero, runRestore } from '../../src/runners/kube/velero.js';
import { tmpDir } from '../helpers/project.js';

let kube: RunningKubeSim | undefined;
afterEach(async () => {
  await kube?.stop();
  kube = undefined;
});

const APP = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'rentguy-settings', namespace: 'sevensa-apps' },
  data: { mode: 'production' },
};

async function start(defects: VeleroSimOptions['defects'] = [], onRestore?: VeleroSimOptions['onRestore']) {
  kube = await startKubeSim({
    objects: [
      APP,
      ...veleroFixtures(
        Date.now(),
        [{ name: 'nightly-sevensa-apps', namespaces: ['sevensa-apps'] }],
        defects,
      ),
    ],
    setup: (cluster) =>
      installVeleroSim(cluster, { defects: defects ?? [], stepMs: 10, ...(onRestore ? { onRestore } : {}) }),
  });
  const file = writeKubeconfig(join(tmpDir('velero-standin'), 'kubeconfig'), {
    server: kube.url,
    context: 'sim',
  });
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  const opened = openKubeAccess({ kubeconfig: file, context: 'sim', baseDir: '/', env: {} });
  if (!opened.ok) throw new Error(opened.reason);
  return { kc, access: opened.access };
}

const velero = { group: 'velero.io', version: 'v1', namespace: 'velero' };

describe('Velero on the stand-in API server', () => {
  it('serves a healthy installation: an Available location, an enabled schedule, recent Completed backups', async () => {
    const { kc, access } = await start();
    const custom = kc.makeApiClient(CustomObjectsApi);
    const bsl = (await custom.getNamespacedCustomObject({
      ...velero,
      plural: 'backupstoragelocations',
      name: 'default',
    })) as { status: { phase: string } };
    expect(bsl.status.phase).toBe('Available');
    const read = await readVelero(access, 'velero');
    if (!read.ok) throw new Error(read.reason);
    expect(read.schedules.map((s) => [s.metadata?.name, s.status?.phase])).toEqual([
      ['nightly-sevensa-apps', 'Enabled'],
    ]);
    expect(read.backups).toHaveLength(3);
    expect(read.backups.every((b) => b.status?.phase === 'Completed')).toBe(true);
    const labelled = (await custom.listNamespacedCustomObject({
      ...velero,
      plural: 'backups',
      labelSelector: 'velero.io/schedule-name=nightly-sevensa-apps',
    })) as { items: unknown[] };
    expect(labelled.items).toHaveLength(3);
  });

  it('the backup faults: the newest backup PartiallyFailed, or all of them 30 h old', async () => {
    const { access } = await start(['backup-failed']);
    const read = await readVelero(access, 'velero');
    if (!read.ok) throw new Error(read.reason);
    expect(read.backups.map((b) => b.status?.phase).sort()).toEqual([
      'Completed',
      'Completed',
      'PartiallyFailed',
    ]);
    await kube!.stop();
    const stale = await start(['backup-stale']);
    const again = await readVelero(stale.access, 'velero');
    if (!again.ok) throw new Error(again.reason);
    const newest = Math.max(...again.backups.map((b) => Date.parse(b.status!.completionTimestamp!)));
    expect(Date.now() - newest).toBeGreaterThan(29 * 3_600_000);
  });

  it('a Restore goes New → InProgress → Finalizing → Completed, into the mapped namespace, and watch sees it', async () => {
    const restored: string[] = [];
    const { kc, access } = await start([], async (r) => {
      restored.push(`${r.from}→${r.to} from ${r.backup}`);
      return { errors: 0, warnings: 0, items: 2 };
    });
    const phases: string[] = [];
    const req = await new Watch(kc).watch(
      '/apis/velero.io/v1/namespaces/velero/restores',
      {},
      (_type, obj: { status?: { phase?: string } }) => {
        const p = obj.status?.phase ?? '(none)';
        if (phases.at(-1) !== p) phases.push(p);
      },
      () => undefined,
    );
    const backup = (await readVelero(access, 'velero')) as {
      ok: true;
      backups: { metadata?: { name?: string } }[];
    };
    const newest = backup.backups.at(-1)!.metadata!.name!;
    const run = await runRestore(access, {
      namespace: 'velero',
      name: 'drill-1',
      backupName: newest,
      namespaceMapping: { 'sevensa-apps': 'cutover-drill' },
      timeoutMs: 5000,
      pollMs: 10,
    });
    req.abort();
    expect(run.ok && run.restore.status).toMatchObject({ phase: 'Completed', errors: 0, warnings: 0 });
    expect(phases).toEqual(['(none)', 'InProgress', 'Finalizing', 'Completed']);
    expect(restored).toEqual([`sevensa-apps→cutover-drill from ${newest}`]);
    const copy = await kc
      .makeApiClient(CoreV1Api)
      .readNamespacedConfigMap({ name: 'rentguy-settings', namespace: 'cutover-drill' });
    expect(copy.data).toEqual({ mode: 'production' });
    expect(copy.metadata?.labels?.['velero.io/restore-name']).toBe('drill-1');
  });

  it("restore-partial ends PartiallyFailed with errors; an unknown backup fails validation with Velero's message", async () => {
    const { access } = await start(['restore-partial']);
    const partial = await runRestore(access, {
      namespace: 'velero',
      name: 'drill-2',
      backupName: (
        (await readVelero(access, 'velero')) as { ok: true; backups: { metadata?: { name?: string } }[] }
      ).backups[0]!.metadata!.name!,
      namespaceMapping: { 'sevensa-apps': 'cutover-drill' },
      timeoutMs: 5000,
      pollMs: 10,
    });
    expect(partial.ok && partial.restore.status).toMatchObject({ phase: 'PartiallyFailed', errors: 2 });
    const invalid = await runRestore(access, {
      namespace: 'velero',
      name: 'drill-3',
      backupName: 'nope',
      namespaceMapping: { 'sevensa-apps': 'cutover-drill-3' },
      timeoutMs: 5000,
      pollMs: 10,
    });
    expect(invalid.ok && invalid.restore.status).toMatchObject({
      phase: 'FailedValidation',
      validationErrors: ['Error retrieving backup: backups.velero.io "nope" not found'],
    });
  });

  it('a Restore that does not finish in time is returned as timed out, with its last phase', async () => {
    // No controller: the Restore stays without a phase, as on a cluster whose Velero server is down.
    kube = await startKubeSim({ objects: veleroFixtures(Date.now(), []) });
    const file = writeKubeconfig(join(tmpDir('velero-standin'), 'kubeconfig'), {
      server: kube.url,
      context: 'sim',
    });
    const opened = openKubeAccess({ kubeconfig: file, context: 'sim', baseDir: '/', env: {} });
    if (!opened.ok) throw new Error(opened.reason);
    const run = await runRestore(opened.access, {
      namespace: 'velero',
      name: 'drill-4',
      backupName: 'x',
      namespaceMapping: { a: 'b' },
      timeoutMs: 200,
      pollMs: 20,
    });
    expect(run).toMatchObject({ ok: true, timedOut: true });
  });
});
