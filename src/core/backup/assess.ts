// What Velero's objects say about the platform's backups, as checks: every BackupStorageLocation
// `Available`; every Schedule the config names (or, naming none, every Schedule there is) enabled and
// not paused, its last backup inside the recovery-point objective; the newest Backup of each schedule
// `Completed` with zero errors and no older than the RPO. Pure: the suite reads the objects and hands
// the clock's reading in. Absence is never a pass — no storage location, no schedule, a schedule without
// a backup each fail with what is missing.
import { formatAge } from '../gates/input.js';
import {
  backupTime,
  judgeBackup,
  judgeSchedule,
  judgeStorageLocation,
  latestBackup,
  SCHEDULE_NAME_LABEL,
  type VeleroObject,
} from './velero.js';

export interface VeleroReading {
  namespace: string;
  locations: VeleroObject[];
  schedules: VeleroObject[];
  backups: VeleroObject[];
}

export interface ScheduleTarget {
  schedule: string;
  /** Services (or databases) the schedule's backups cover: each check is recorded for each of them. */
  covers: string[];
  rpoMs: number;
}

export interface VeleroExpectations {
  /** The schedules to judge; empty: every Schedule in the namespace, held to `rpoMs`. */
  schedules: ScheduleTarget[];
  /** Storage locations to judge; empty: every one in the namespace. */
  storageLocations: string[];
  rpoMs: number;
}

type Scalar = string | number | boolean | null;

export interface BackupCheck {
  /** The service the check is about (each a schedule covers), or `velero` for the installation. */
  service: string;
  /** `storage-location:NAME`, `schedule:NAME`, `backup:SCHEDULE`. */
  check: string;
  ok: boolean;
  reason: string;
  data: Record<string, Scalar>;
}

const nameOf = (o: VeleroObject) => o.metadata?.name ?? '(unnamed)';

export function assessVelero(read: VeleroReading, want: VeleroExpectations, nowMs: number): BackupCheck[] {
  const out: BackupCheck[] = [];
  const ns = read.namespace;

  // Storage locations: where the backups are; an unavailable one means new backups fail and old ones
  // cannot be restored.
  const locations = want.storageLocations.length
    ? want.storageLocations.map((n) => ({ n, o: read.locations.find((l) => nameOf(l) === n) }))
    : read.locations.map((o) => ({ n: nameOf(o), o }));
  if (locations.length === 0)
    out.push({
      service: 'velero',
      check: 'storage-location',
      ok: false,
      reason: `no BackupStorageLocation in namespace ${ns}: Velero has nowhere to keep backups`,
      data: {},
    });
  for (const { n, o } of locations) {
    const j = o ? judgeStorageLocation(o) : undefined;
    out.push({
      service: 'velero',
      check: `storage-location:${n}`,
      ok: j?.ok ?? false,
      reason: j ? `BackupStorageLocation ${n}: ${j.reason}` : `BackupStorageLocation ${n} not found in ${ns}`,
      data: { name: n, phase: j?.phase ?? null, lastValidated: o?.status?.lastValidationTime ?? null },
    });
  }

  const targets: ScheduleTarget[] = want.schedules.length
    ? want.schedules
    : read.schedules.map((s) => ({ schedule: nameOf(s), covers: [], rpoMs: want.rpoMs }));
  if (targets.length === 0)
    out.push({
      service: 'velero',
      check: 'schedule',
      ok: false,
      reason: `no Velero Schedule in namespace ${ns}: nothing takes backups regularly`,
      data: {},
    });
  for (const t of targets) {
    const covers = t.covers.length ? t.covers : ['velero'];
    for (const c of [...judgeOneSchedule(read, t, nowMs)])
      for (const service of covers) out.push({ ...c, service });
  }
  return out;
}

function judgeOneSchedule(
  read: VeleroReading,
  t: ScheduleTarget,
  nowMs: number,
): Omit<BackupCheck, 'service'>[] {
  const rpo = formatAge(t.rpoMs);
  const schedule = read.schedules.find((s) => nameOf(s) === t.schedule);
  if (!schedule)
    return [
      {
        check: `schedule:${t.schedule}`,
        ok: false,
        reason: `Schedule ${t.schedule} not found in ${read.namespace}`,
        data: { name: t.schedule },
      },
    ];
  const state = judgeSchedule(schedule);
  const last = Date.parse(schedule.status?.lastBackup ?? '');
  const lastAge = Number.isFinite(last) ? nowMs - last : undefined;
  const scheduleCheck = {
    check: `schedule:${t.schedule}`,
    ok: state.ok && lastAge !== undefined && lastAge <= t.rpoMs,
    reason: !state.ok
      ? `Schedule ${t.schedule}: ${state.reason}`
      : lastAge === undefined
        ? `Schedule ${t.schedule}: enabled but has never taken a backup (no status.lastBackup)`
        : lastAge > t.rpoMs
          ? `Schedule ${t.schedule}: last backup ${formatAge(lastAge)} ago, beyond the recovery-point objective of ${rpo}`
          : `Schedule ${t.schedule}: enabled, last backup ${formatAge(lastAge)} ago (RPO ${rpo})`,
    data: {
      name: t.schedule,
      phase: state.phase,
      paused: schedule.spec?.paused === true,
      cron: typeof schedule.spec?.schedule === 'string' ? schedule.spec.schedule : null,
      lastBackupAgeSeconds: lastAge === undefined ? null : Math.round(lastAge / 1000),
    },
  };

  const mine = read.backups.filter((b) => b.metadata?.labels?.[SCHEDULE_NAME_LABEL] === t.schedule);
  const newest = latestBackup(mine);
  if (!newest)
    return [
      scheduleCheck,
      {
        check: `backup:${t.schedule}`,
        ok: false,
        reason: `no Backup of schedule ${t.schedule} in ${read.namespace} (none labelled ${SCHEDULE_NAME_LABEL}=${t.schedule})`,
        data: { schedule: t.schedule },
      },
    ];
  const j = judgeBackup(newest);
  const at = backupTime(newest);
  const age = at === undefined ? undefined : nowMs - at;
  const stale = j.ok && (age === undefined || age > t.rpoMs);
  const name = nameOf(newest);
  return [
    scheduleCheck,
    {
      check: `backup:${t.schedule}`,
      ok: j.ok && !stale,
      reason: !j.ok
        ? `Backup ${name} ${j.reason}`
        : stale
          ? `Backup ${name} Completed ${age === undefined ? 'at an unknown time' : `${formatAge(age)} ago`}, beyond the recovery-point objective of ${rpo}`
          : `Backup ${name} ${j.reason}, ${formatAge(age!)} old (RPO ${rpo})`,
      data: {
        name,
        schedule: t.schedule,
        phase: j.phase,
        ageSeconds: age === undefined ? null : Math.round(age / 1000),
        errors: newest.status?.errors ?? 0,
        warnings: newest.status?.warnings ?? 0,
        running: j.running,
      },
    },
  ];
}
