// The restore drill's pure parts: which backup a schedule's drill restores (its newest Completed one —
// what a disaster recovery would use), where each backed-up namespace goes (a scratch namespace, never
// the live one), and how the Restore's end is judged: only `Completed` with zero errors, within the
// deadline, passes; warnings are reported, and fail the drill when the config says so.
import { formatAge } from '../gates/input.js';
import { backupTime, judgeRestore, SCHEDULE_NAME_LABEL, type VeleroObject } from './velero.js';

export type DrillSource =
  | { ok: true; backup: VeleroObject; name: string; namespaces: string[]; ageMs: number | undefined }
  | { ok: false; reason: string };

export function drillSource(backups: readonly VeleroObject[], schedule: string, nowMs: number): DrillSource {
  const done = backups
    .filter((b) => b.metadata?.labels?.[SCHEDULE_NAME_LABEL] === schedule)
    .filter((b) => b.status?.phase === 'Completed' && (b.status.errors ?? 0) === 0)
    .sort((a, b) => (backupTime(b) ?? 0) - (backupTime(a) ?? 0));
  const backup = done[0];
  if (!backup) return { ok: false, reason: `no Completed backup of schedule ${schedule} to restore` };
  const name = backup.metadata?.name ?? '(unnamed)';
  const included = ((backup.spec?.includedNamespaces as string[] | undefined) ?? []).filter((n) => n !== '*');
  if (included.length === 0)
    return {
      ok: false,
      reason: `backup ${name} names no namespaces (includedNamespaces empty or "*"): a drill restores named namespaces into scratch ones, never the whole cluster over itself`,
    };
  const at = backupTime(backup);
  return { ok: true, backup, name, namespaces: included, ageMs: at === undefined ? undefined : nowMs - at };
}

/** `PREFIX-NAMESPACE`, cut to a valid namespace name (63 characters, no trailing dash). */
export function scratchNamespace(prefix: string, namespace: string): string {
  return `${prefix}-${namespace}`.slice(0, 63).replace(/-+$/, '');
}

/** A Restore's name: the drill's prefix, the schedule and a run suffix, as a valid object name. */
export function drillRestoreName(prefix: string, schedule: string, suffix: string): string {
  const tail = `-${suffix}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 14);
  return `${`${prefix}-${schedule}`.slice(0, 63 - tail.length)}${tail}`
    .replace(/--+/g, '-')
    .replace(/-+$/, '');
}

/** A deadline in words: seconds under two minutes (a `timeoutSeconds: 30` reads as 30 s, not 1 min). */
function deadline(ms: number): string {
  return ms < 120_000 ? `${Math.round(ms / 1000)} s` : formatAge(ms);
}

export interface DrillEnd {
  restore: VeleroObject;
  timedOut: boolean;
  waitedMs: number;
  timeoutMs: number;
  failOnWarnings: boolean;
}

export function judgeDrill(
  source: { name: string; ageMs: number | undefined },
  end: DrillEnd,
): { ok: boolean; reason: string; phase: string } {
  const j = judgeRestore(end.restore);
  const restore = end.restore.metadata?.name ?? 'the Restore';
  const of = `Restore ${restore} of backup ${source.name}${source.ageMs === undefined ? '' : ` (${formatAge(source.ageMs)} old)`}`;
  if (end.timedOut)
    return {
      ok: false,
      phase: j.phase,
      reason: `${of} did not finish within ${deadline(end.timeoutMs)}: it ${j.reason}`,
    };
  const warnings = end.restore.status?.warnings ?? 0;
  if (j.ok && end.failOnWarnings && warnings > 0)
    return {
      ok: false,
      phase: j.phase,
      reason: `${of} Completed with ${warnings} warning${warnings === 1 ? '' : 's'}, which restoreDrill.failOnWarnings refuses`,
    };
  return {
    ok: j.ok,
    phase: j.phase,
    reason: j.ok
      ? `${of} ${j.reason} in ${Math.max(1, Math.round(end.waitedMs / 1000))} s`
      : `${of} ${j.reason}`,
  };
}
