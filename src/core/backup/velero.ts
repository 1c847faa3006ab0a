// Velero's velero.io/v1 objects as the backup suite reads them, and every phase Velero defines, with
// what each means for a go/no-go. The phase lists are Velero's own kubebuilder enums
// (pkg/apis/velero/v1/{backup,restore,schedule,backupstoragelocation}_types.go at v1.18, where Backup
// gained Queued and ReadyToStart). Only a Backup or Restore `Completed` with zero errors is a pass:
// `PartiallyFailed` is not, and neither is a phase still on its way to one of them — a restore stuck in
// `FinalizingPartiallyFailed` read as done is a real bug elsewhere (stolostron/cluster-backup-operator
// #698). A phase no Velero version defines is a failure too, never a guess.

export const BACKUP_PHASES = [
  'New',
  'Queued',
  'ReadyToStart',
  'FailedValidation',
  'InProgress',
  'WaitingForPluginOperations',
  'WaitingForPluginOperationsPartiallyFailed',
  'Finalizing',
  'FinalizingPartiallyFailed',
  'Completed',
  'PartiallyFailed',
  'Failed',
  'Deleting',
] as const;
export type BackupPhase = (typeof BACKUP_PHASES)[number];

export const RESTORE_PHASES = [
  'New',
  'FailedValidation',
  'InProgress',
  'WaitingForPluginOperations',
  'WaitingForPluginOperationsPartiallyFailed',
  'Completed',
  'PartiallyFailed',
  'Failed',
  'Finalizing',
  'FinalizingPartiallyFailed',
] as const;
export type RestorePhase = (typeof RESTORE_PHASES)[number];

export const SCHEDULE_PHASES = ['New', 'Enabled', 'FailedValidation'] as const;
export const STORAGE_LOCATION_PHASES = ['Available', 'Unavailable'] as const;

/** The label Velero puts on a Backup a Schedule created (labels_annotations.go ScheduleNameLabel). */
export const SCHEDULE_NAME_LABEL = 'velero.io/schedule-name';

/** The fields of a Velero object the suite reads; everything else is ignored. */
export interface VeleroObject {
  metadata?: {
    name?: string;
    namespace?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  status?: VeleroStatus;
}

export interface VeleroStatus {
  phase?: string;
  errors?: number;
  warnings?: number;
  failureReason?: string;
  validationErrors?: string[];
  startTimestamp?: string;
  completionTimestamp?: string;
  lastBackup?: string;
  lastValidationTime?: string;
  message?: string;
  progress?: { totalItems?: number; itemsBackedUp?: number; itemsRestored?: number };
}

export interface Judgement {
  ok: boolean;
  /** Why, in words a person reads in the go/no-go meeting. */
  reason: string;
  /** The phase as read, `(none)` when Velero has not set one. */
  phase: string;
  /** Whether Velero will still move the object on (a phase that is not final). */
  running: boolean;
}

const TERMINAL = new Set(['Completed', 'PartiallyFailed', 'Failed', 'FailedValidation']);

/** What a phase that is not a pass means, for a Backup (`what` = "backup") or a Restore. */
function phaseMeaning(phase: string, what: 'backup' | 'restore', o: VeleroObject): string {
  const s = o.status ?? {};
  const errors = s.errors ?? 0;
  const failure = s.failureReason ? `: ${s.failureReason}` : '';
  switch (phase) {
    case 'New':
      return `has not been started by Velero (phase New) — is the Velero server running?`;
    case 'Queued':
      return `is waiting in Velero's queue (phase Queued), not taken yet`;
    case 'ReadyToStart':
      return `has left the queue but not started (phase ReadyToStart)`;
    case 'FailedValidation':
      return `failed validation${s.validationErrors?.length ? `: ${s.validationErrors.join('; ')}` : ''} (phase FailedValidation)`;
    case 'InProgress':
      return `is still running (phase InProgress${progressText(s.progress, what)})`;
    case 'WaitingForPluginOperations':
      return `is waiting for plugin operations such as volume snapshots or data movement (phase WaitingForPluginOperations)`;
    case 'WaitingForPluginOperationsPartiallyFailed':
      return `is waiting for plugin operations and already has errors: it will end PartiallyFailed (phase WaitingForPluginOperationsPartiallyFailed)`;
    case 'Finalizing':
      return `is still finalizing (phase Finalizing)`;
    case 'FinalizingPartiallyFailed':
      return `is finalizing after errors: it will end PartiallyFailed (phase FinalizingPartiallyFailed)`;
    case 'PartiallyFailed':
      return `partially failed with ${errors} error${errors === 1 ? '' : 's'}${failure} (phase PartiallyFailed)`;
    case 'Failed':
      return `failed${failure || ' without a failure reason'} (phase Failed)`;
    case 'Deleting':
      return `is being deleted (phase Deleting)`;
    case '(none)':
      return `has no phase yet: Velero has not seen it`;
    default:
      return `has phase "${phase}", which Velero does not define for a ${what}`;
  }
}

function progressText(p: VeleroStatus['progress'], what: string): string {
  if (!p?.totalItems) return '';
  const done = what === 'backup' ? p.itemsBackedUp : p.itemsRestored;
  return `, ${done ?? 0} of ${p.totalItems} items`;
}

function judgeRun(o: VeleroObject, what: 'backup' | 'restore', phases: readonly string[]): Judgement {
  const phase = o.status?.phase || '(none)';
  const errors = o.status?.errors ?? 0;
  const warnings = o.status?.warnings ?? 0;
  const running = phase !== '(none)' && phases.includes(phase) && !TERMINAL.has(phase);
  if (phase === 'Completed' && errors === 0) {
    return {
      ok: true,
      phase,
      running: false,
      reason: `Completed${warnings ? ` with ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`,
    };
  }
  if (phase === 'Completed') {
    // Velero sets PartiallyFailed when there are errors; a Completed one that counts errors is not trusted.
    return { ok: false, phase, running: false, reason: `Completed but counts ${errors} errors` };
  }
  if (!phases.includes(phase) && phase !== '(none)') {
    return { ok: false, phase, running: false, reason: phaseMeaning(phase, what, o) };
  }
  return { ok: false, phase, running, reason: phaseMeaning(phase, what, o) };
}

/** A Backup: a pass only when `Completed` with zero errors. */
export function judgeBackup(b: VeleroObject): Judgement {
  return judgeRun(b, 'backup', BACKUP_PHASES);
}

/** A Restore: a pass only when `Completed` with zero errors (warnings are reported, not failed). */
export function judgeRestore(r: VeleroObject): Judgement {
  return judgeRun(r, 'restore', RESTORE_PHASES);
}

/** A BackupStorageLocation: a pass only when `Available` (Velero's default phase is Unavailable). */
export function judgeStorageLocation(l: VeleroObject): Judgement {
  const phase = l.status?.phase || '(none)';
  const message = l.status?.message ? `: ${l.status.message}` : '';
  if (phase === 'Available') return { ok: true, phase, running: false, reason: 'Available' };
  if (phase === 'Unavailable')
    return {
      ok: false,
      phase,
      running: false,
      reason: `Unavailable${message || ': Velero cannot reach its bucket'}`,
    };
  if (phase === '(none)')
    return { ok: false, phase, running: false, reason: 'not validated by Velero yet (no phase)' };
  return { ok: false, phase, running: false, reason: `phase "${phase}", which Velero does not define` };
}

/** A Schedule: `Enabled` and not paused; its last backup is judged against the RPO separately. */
export function judgeSchedule(s: VeleroObject): Judgement {
  const phase = s.status?.phase || '(none)';
  if (s.spec?.paused === true) return { ok: false, phase, running: false, reason: 'paused (spec.paused)' };
  if (phase === 'Enabled') return { ok: true, phase, running: false, reason: 'Enabled' };
  if (phase === 'FailedValidation')
    return {
      ok: false,
      phase,
      running: false,
      reason: `failed validation${s.status?.validationErrors?.length ? `: ${s.status.validationErrors.join('; ')}` : ''}`,
    };
  if (phase === 'New' || phase === '(none)')
    return { ok: false, phase, running: true, reason: 'not validated by Velero yet (phase New)' };
  return { ok: false, phase, running: false, reason: `phase "${phase}", which Velero does not define` };
}

/** When a backup happened: its completion, else its start, else when the object was created. */
export function backupTime(b: VeleroObject): number | undefined {
  for (const t of [b.status?.completionTimestamp, b.status?.startTimestamp, b.metadata?.creationTimestamp]) {
    const ms = t ? Date.parse(t) : Number.NaN;
    if (Number.isFinite(ms)) return ms;
  }
  return undefined;
}

/** The newest of a schedule's backups (by start, then creation): the one a restore would use. */
export function latestBackup<T extends VeleroObject>(backups: readonly T[]): T | undefined {
  const started = (b: VeleroObject) =>
    Date.parse(b.status?.startTimestamp ?? b.metadata?.creationTimestamp ?? '') || 0;
  return [...backups].sort((a, b) => started(b) - started(a))[0];
}
