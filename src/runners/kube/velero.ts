// Velero through the Kubernetes API (velero.io/v1, CustomObjectsApi): read the storage locations,
// schedules and backups of Velero's namespace, create a Restore and wait for it to reach a final phase
// with a deadline, and clean the drill up. Every call carries the access's deadline and fails
// classified (client.ts), so the suite records "could not check", never a pass.
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import type { VeleroObject } from '../../core/backup/velero.js';
import { call, type KubeAccess, KubeCallError } from './client.js';
import { pollPause } from './wait.js';

const GROUP = 'velero.io';
const VERSION = 'v1';

export type VeleroRead =
  | { ok: true; locations: VeleroObject[]; schedules: VeleroObject[]; backups: VeleroObject[] }
  | { ok: false; failure: KubeCallError['kind']; reason: string };

async function list(access: KubeAccess, namespace: string, plural: string): Promise<VeleroObject[]> {
  const custom = access.kc.makeApiClient(CustomObjectsApi);
  const answer = (await call(access, `list ${plural}.${GROUP} in ${namespace}`, () =>
    custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural }),
  )) as { items?: VeleroObject[] };
  return answer.items ?? [];
}

/** The storage locations, schedules and backups of Velero's namespace, read once. */
export async function readVelero(access: KubeAccess, namespace: string): Promise<VeleroRead> {
  try {
    const [locations, schedules, backups] = await Promise.all([
      list(access, namespace, 'backupstoragelocations'),
      list(access, namespace, 'schedules'),
      list(access, namespace, 'backups'),
    ]);
    return { ok: true, locations, schedules, backups };
  } catch (error) {
    const e = error instanceof KubeCallError ? error : new KubeCallError('other', String(error));
    // A 404 on a list means the API server does not know velero.io/v1: Velero is not installed.
    const reason =
      e.kind === 'not-found' ? `${e.message} — is Velero installed (its CRDs velero.io/v1)?` : e.message;
    return { ok: false, failure: e.kind, reason };
  }
}

export interface RestoreDrillRequest {
  namespace: string;
  name: string;
  backupName: string;
  /** Backed-up namespace → scratch namespace. */
  namespaceMapping: Record<string, string>;
  timeoutMs: number;
  pollMs: number;
  signal?: AbortSignal;
  /** Each phase as it is first seen, for the progress line. */
  onPhase?: (phase: string) => void;
}

export type RestoreDrillRun =
  | { ok: true; restore: VeleroObject; timedOut: boolean; waitedMs: number }
  | { ok: false; failure: KubeCallError['kind']; reason: string };

const FINAL = new Set(['Completed', 'PartiallyFailed', 'Failed', 'FailedValidation']);

/** Creates the Restore and polls it until a final phase or the deadline; the last object read is returned. */
export async function runRestore(access: KubeAccess, r: RestoreDrillRequest): Promise<RestoreDrillRun> {
  const custom = access.kc.makeApiClient(CustomObjectsApi);
  const target = { group: GROUP, version: VERSION, namespace: r.namespace, plural: 'restores' };
  const started = Date.now();
  try {
    await call(access, `create Restore ${r.namespace}/${r.name}`, () =>
      custom.createNamespacedCustomObject({
        ...target,
        body: {
          apiVersion: `${GROUP}/${VERSION}`,
          kind: 'Restore',
          metadata: {
            name: r.name,
            namespace: r.namespace,
            labels: { 'app.kubernetes.io/managed-by': 'cutover', 'cutover.dev/purpose': 'restore-drill' },
          },
          spec: {
            backupName: r.backupName,
            includedNamespaces: Object.keys(r.namespaceMapping),
            namespaceMapping: r.namespaceMapping,
            restorePVs: true,
            // A drill never touches what exists: objects already there are left alone.
            existingResourcePolicy: 'none',
          },
        },
      }),
    );
    let last: VeleroObject = {};
    let seen = '';
    for (;;) {
      last = (await call(access, `read Restore ${r.namespace}/${r.name}`, () =>
        custom.getNamespacedCustomObject({ ...target, name: r.name }),
      )) as VeleroObject;
      const phase = last.status?.phase ?? '';
      if (phase !== seen) {
        seen = phase;
        r.onPhase?.(phase);
      }
      if (FINAL.has(phase))
        return { ok: true, restore: last, timedOut: false, waitedMs: Date.now() - started };
      if (Date.now() - started >= r.timeoutMs || r.signal?.aborted)
        return { ok: true, restore: last, timedOut: true, waitedMs: Date.now() - started };
      await pollPause(r.pollMs, r.signal);
    }
  } catch (error) {
    const e = error instanceof KubeCallError ? error : new KubeCallError('other', String(error));
    return { ok: false, failure: e.kind, reason: e.message };
  }
}

/** Deletes the drill's scratch namespaces and its Restore object; failures are returned as words, not thrown. */
export async function cleanUpDrill(
  access: KubeAccess,
  veleroNamespace: string,
  restoreName: string,
  scratch: readonly string[],
): Promise<string[]> {
  const core = access.kc.makeApiClient(CoreV1Api);
  const custom = access.kc.makeApiClient(CustomObjectsApi);
  const problems: string[] = [];
  for (const name of scratch) {
    await call(access, `delete Namespace ${name}`, () => core.deleteNamespace({ name })).catch((e: Error) =>
      problems.push(e.message),
    );
  }
  await call(access, `delete Restore ${veleroNamespace}/${restoreName}`, () =>
    custom.deleteNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: veleroNamespace,
      plural: 'restores',
      name: restoreName,
    }),
  ).catch((e: Error) => problems.push(e.message));
  return problems;
}
