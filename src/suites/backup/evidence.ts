// How the backup suite reports: one CheckResult per storage location, schedule, newest backup and
// restore drill (suite `backup`, once per service a schedule covers, with the backup's name and age in
// its data), which `backup.failed == 0` reads; and one CoverageEvidence per part and environment. A part
// that could not look (Velero unreachable, the drill unable to start) is `could-not-check`: gates read
// that as INCONCLUSIVE, never as a pass.
import type { BackupCheck } from '../../core/backup/assess.js';
import type { SuiteContext } from '../suite.js';

export const SUITE_ID = 'backup';
/** `backup` is the environment's tally (every check counted); the others say what each part could do. */
export type BackupScope = 'velero' | 'restore-drill' | 'logical-drill' | 'backup';

export function recordCheck(ctx: SuiteContext, environment: string, c: BackupCheck): void {
  ctx.check({
    suite: SUITE_ID,
    environment,
    service: c.service,
    check: c.check,
    status: c.ok ? 'pass' : 'fail',
    reason: c.reason,
    data: c.data,
    at: ctx.now().toISOString(),
  });
}

export function recordCoverage(
  ctx: SuiteContext,
  environment: string,
  scope: BackupScope,
  status: 'complete' | 'partial' | 'could-not-check',
  reason: string,
  counts?: Record<string, number>,
): void {
  ctx.evidence({
    kind: 'coverage',
    suite: SUITE_ID,
    environment,
    scope,
    status,
    reason,
    ...(counts ? { counts } : {}),
    at: ctx.now().toISOString(),
  });
}

/** A part that could not look: its coverage, and a skipped check saying why (shown in the reports). */
export function couldNotCheck(
  ctx: SuiteContext,
  environment: string,
  scope: BackupScope,
  check: string,
  reason: string,
  service = 'velero',
): void {
  recordCoverage(ctx, environment, scope, 'could-not-check', reason);
  ctx.check({
    suite: SUITE_ID,
    environment,
    service,
    check,
    status: 'skip',
    reason: `could not check: ${reason}`,
    at: ctx.now().toISOString(),
  });
}
