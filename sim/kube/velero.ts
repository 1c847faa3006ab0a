// Velero on the stand-in API server: a controller that moves a Backup and a Restore through Velero's
// phases as the real server does (pkg/controller/{backup,restore}_controller.go: no phase → InProgress
// → Completed, or PartiallyFailed with errors, or FailedValidation when the spec names nothing it can
// use), and the objects a healthy installation has (fixtures): an Available BackupStorageLocation and
// enabled Schedules whose backups completed recently. A Restore copies the backed-up namespaces' objects
// into the namespaces its `namespaceMapping` names, and hands each restored namespace to `onRestore`
// (the demo restores a database dump there), so a restore drill has something real to verify.
//
// Faults: `backup-failed` (each schedule's newest backup PartiallyFailed, the phase a naive check reads
// as done), `backup-stale` (the newest backups are 30 h old: nothing ran since), `restore-partial`
// (every Restore ends PartiallyFailed with errors, and `onRestore` restores only part of the data).
import type { BackupDefect } from 'cutover';
import type { KubeCluster } from './cluster.js';
import type { KubeObject } from './store.js';

// biome-ignore lint/suspicious/noExplicitAny: custom resource specs are free-form
type Any = Record<string, any>;

type VeleroDefect = BackupDefect;

/** What a restore of one namespace did beyond its objects (the database the demo restores there). */
export interface RestoredNamespace {
  errors: number;
  warnings: number;
  /** Items restored besides the Kubernetes objects (tables, say). */
  items?: number;
}

export interface VeleroSimOptions {
  defects?: readonly VeleroDefect[];
  /** Called for each namespace a Restore maps, after its objects are copied. */
  onRestore?: (restore: {
    name: string;
    backup: string;
    from: string;
    to: string;
    /** The `restore-partial` fault: restore only part of the namespace's data, as a failing volume would. */
    partial: boolean;
  }) => Promise<RestoredNamespace>;
  /** How long each phase lasts, in ms. @default 50 */
  stepMs?: number;
}

const VELERO = 'velero.io/v1';
/** Kinds a restore copies: what a namespace backup holds that a drill can look at. */
const RESTORED_KINDS = [
  'ConfigMap',
  'Secret',
  'Service',
  'Deployment',
  'StatefulSet',
  'PersistentVolumeClaim',
];

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const nameStamp = (ms: number) =>
  iso(ms)
    .replace(/[-:TZ]/g, '')
    .slice(0, 14);

export interface VeleroFixtureSchedule {
  name: string;
  namespaces: string[];
  /** Cron text, shown only. @default "0 2 * * *" */
  cron?: string;
}

/**
 * The objects of a healthy Velero installation in `namespace`: one Available storage location and, per
 * schedule, three daily backups, the newest finished four hours before `now` — shaped by the defects.
 */
export function veleroFixtures(
  nowMs: number,
  schedules: readonly VeleroFixtureSchedule[],
  defects: readonly VeleroDefect[] = [],
  namespace = 'velero',
): KubeObject[] {
  const out: KubeObject[] = [
    {
      apiVersion: VELERO,
      kind: 'BackupStorageLocation',
      metadata: { name: 'default', namespace },
      spec: {
        provider: 'aws',
        default: true,
        accessMode: 'ReadWrite',
        objectStorage: { bucket: 'sevensa-backups' },
      },
      status: {
        phase: 'Available',
        lastValidationTime: iso(nowMs - 30_000),
        lastSyncedTime: iso(nowMs - 45_000),
      },
    },
  ];
  // The newest backup started 4 h ago; stale, 30 h ago (a day of backups missing).
  const newestStart = nowMs - (defects.includes('backup-stale') ? 30 : 4) * 3_600_000;
  for (const s of schedules) {
    const template = { includedNamespaces: s.namespaces, storageLocation: 'default', ttl: '720h0m0s' };
    out.push({
      apiVersion: VELERO,
      kind: 'Schedule',
      metadata: { name: s.name, namespace },
      spec: { schedule: s.cron ?? '0 2 * * *', template, useOwnerReferencesInBackup: false },
      status: { phase: 'Enabled', lastBackup: iso(newestStart) },
    });
    for (let day = 2; day >= 0; day--) {
      const start = newestStart - day * 86_400_000;
      const failed = day === 0 && defects.includes('backup-failed');
      out.push({
        apiVersion: VELERO,
        kind: 'Backup',
        metadata: {
          name: `${s.name}-${nameStamp(start)}`,
          namespace,
          labels: { 'velero.io/schedule-name': s.name, 'velero.io/storage-location': 'default' },
        },
        spec: template,
        status: {
          phase: failed ? 'PartiallyFailed' : 'Completed',
          version: 1,
          formatVersion: '1.1.0',
          startTimestamp: iso(start),
          completionTimestamp: iso(start + 6 * 60_000),
          expiration: iso(start + 720 * 3_600_000),
          progress: { totalItems: 212, itemsBackedUp: 212 },
          ...(failed ? { errors: 3, warnings: 1, failureReason: '' } : { warnings: 0 }),
        },
      });
    }
  }
  return out;
}

export function installVeleroSim(cluster: KubeCluster, options: VeleroSimOptions = {}): void {
  const step = options.stepMs ?? 50;
  const defects = options.defects ?? [];
  const seen = new Set<string>();
  const later = (fn: () => unknown, ms = step) => setTimeout(() => void fn(), ms).unref?.();

  const setStatus = (kind: string, o: KubeObject, status: Any) => {
    const current = cluster.find(kind, o.metadata.namespace, o.metadata.name);
    if (!current) return undefined;
    return cluster.apply({ ...current, status: { ...(current.status as Any), ...status } });
  };

  // A Backup created through the API (`velero backup create`): InProgress, then Completed.
  cluster.on('Backup', (event) => {
    const b = event.object;
    const key = `Backup ${b.metadata.namespace}/${b.metadata.name}`;
    if (event.type !== 'ADDED' || (b.status as Any | undefined)?.phase || seen.has(key)) return;
    seen.add(key);
    later(() => {
      const started = cluster.now().getTime();
      setStatus('Backup', b, { phase: 'InProgress', startTimestamp: iso(started) });
      later(() =>
        setStatus('Backup', b, {
          phase: 'Completed',
          completionTimestamp: iso(cluster.now().getTime()),
          progress: { totalItems: 1, itemsBackedUp: 1 },
        }),
      );
    });
  });

  cluster.on('Restore', (event) => {
    const r = event.object;
    const key = `Restore ${r.metadata.namespace}/${r.metadata.name}`;
    if (event.type !== 'ADDED' || (r.status as Any | undefined)?.phase || seen.has(key)) return;
    seen.add(key);
    later(() => void runRestore(r));
  });

  async function runRestore(r: KubeObject): Promise<void> {
    const spec = (r.spec ?? {}) as Any;
    const ns = r.metadata.namespace;
    const backup = findBackup(spec, ns);
    if (!backup.ok) {
      setStatus('Restore', r, { phase: 'FailedValidation', validationErrors: [backup.error] });
      return;
    }
    const b = backup.value;
    setStatus('Restore', r, { phase: 'InProgress', startTimestamp: iso(cluster.now().getTime()) });
    const included: string[] = ((b.spec as Any)?.includedNamespaces ?? []).filter((n: string) => n !== '*');
    const wanted: string[] = spec.includedNamespaces?.length ? spec.includedNamespaces : included;
    const mapping: Record<string, string> = spec.namespaceMapping ?? {};
    let items = 0;
    let errors = 0;
    let warnings = 0;
    for (const from of wanted) {
      const to = mapping[from] ?? from;
      if (!cluster.find('Namespace', undefined, to))
        cluster.apply({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: to },
          status: { phase: 'Active' },
        });
      for (const kind of RESTORED_KINDS) {
        for (const o of cluster.list(kind, from)) {
          if (cluster.find(kind, to, o.metadata.name)) {
            warnings++; // Velero leaves an existing object alone and warns (existingResourcePolicy none)
            continue;
          }
          const {
            uid: _u,
            resourceVersion: _v,
            creationTimestamp: _c,
            ownerReferences: _o,
            ...meta
          } = o.metadata;
          cluster.apply({
            ...o,
            metadata: {
              ...meta,
              namespace: to,
              labels: {
                ...o.metadata.labels,
                'velero.io/restore-name': r.metadata.name,
                'velero.io/backup-name': b.metadata.name,
              },
            },
            ...(o.status === undefined ? {} : { status: undefined }),
          });
          items++;
        }
      }
      if (options.onRestore) {
        try {
          const done = await options.onRestore({
            name: r.metadata.name,
            backup: b.metadata.name,
            from,
            to,
            partial: defects.includes('restore-partial'),
          });
          errors += done.errors;
          warnings += done.warnings;
          items += done.items ?? 0;
        } catch (error) {
          errors++;
          setStatus('Restore', r, { failureReason: (error as Error).message });
        }
      }
    }
    if (defects.includes('restore-partial')) errors += 2;
    later(() => {
      setStatus('Restore', r, { phase: errors > 0 ? 'FinalizingPartiallyFailed' : 'Finalizing' });
      later(() =>
        setStatus('Restore', r, {
          phase: errors > 0 ? 'PartiallyFailed' : 'Completed',
          completionTimestamp: iso(cluster.now().getTime()),
          errors,
          warnings,
          progress: {
            totalItems: items + (defects.includes('restore-partial') ? 2 : 0),
            itemsRestored: items,
          },
        }),
      );
    });
  }

  /**
   * The Backup a Restore names (`backupName`), or the newest Completed one of its `scheduleName`, with
   * Velero's own validation messages (restore_controller.go validateAndComplete).
   */
  function findBackup(
    spec: Any,
    ns: string | undefined,
  ): { ok: true; value: KubeObject } | { ok: false; error: string } {
    if (Boolean(spec.backupName) === Boolean(spec.scheduleName))
      return {
        ok: false,
        error: 'Either a backup or schedule must be specified as a source for the restore, but not both',
      };
    let name = spec.backupName as string | undefined;
    if (spec.scheduleName) {
      const mine = cluster
        .list('Backup', ns)
        .filter((b) => b.metadata.labels?.['velero.io/schedule-name'] === spec.scheduleName);
      if (mine.length === 0) return { ok: false, error: 'No backups found for schedule' };
      const done = mine
        .filter((b) => (b.status as Any | undefined)?.phase === 'Completed')
        .sort((a, b) =>
          String((b.status as Any).startTimestamp).localeCompare(String((a.status as Any).startTimestamp)),
        );
      if (!done[0]) return { ok: false, error: 'No completed backups found for schedule' };
      name = done[0].metadata.name;
    }
    const b = cluster.find('Backup', ns, name!);
    if (!b) return { ok: false, error: `Error retrieving backup: backups.velero.io "${name}" not found` };
    return { ok: true, value: b };
  }
}
