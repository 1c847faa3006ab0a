// Velero's phases as the backup suite judges them: for every phase Velero defines, only `Completed`
// with zero errors passes, and each other phase says what it means.
import { describe, expect, it } from 'vitest';
import { assessVelero, type VeleroReading } from '../../src/core/backup/assess.js';
import { drillRestoreName, drillSource, judgeDrill, scratchNamespace } from '../../src/core/backup/drill.js';
import {
  BACKUP_PHASES,
  judgeBackup,
  judgeRestore,
  judgeSchedule,
  judgeStorageLocation,
  RESTORE_PHASES,
  SCHEDULE_PHASES,
  STORAGE_LOCATION_PHASES,
} from '../../src/core/backup/velero.js';

const NOW = Date.parse('2026-12-07T06:00:00Z');
const hoursAgo = (h: number) => new Date(NOW - h * 3_600_000).toISOString();

const EXPECTED_WORDS: Record<string, RegExp> = {
  New: /not been started/,
  Queued: /queue/,
  ReadyToStart: /not started/,
  FailedValidation: /failed validation: bad ttl/,
  InProgress: /still running/,
  WaitingForPluginOperations: /plugin operations/,
  WaitingForPluginOperationsPartiallyFailed: /will end PartiallyFailed/,
  Finalizing: /finalizing/,
  FinalizingPartiallyFailed: /will end PartiallyFailed/,
  PartiallyFailed: /partially failed with 3 errors: disk gone/,
  Failed: /failed: disk gone/,
  Deleting: /being deleted/,
};

describe('Velero phases', () => {
  it('knows the v1.18 enums', () => {
    expect(BACKUP_PHASES).toHaveLength(13);
    expect(RESTORE_PHASES).toHaveLength(10);
    expect(SCHEDULE_PHASES).toEqual(['New', 'Enabled', 'FailedValidation']);
    expect(STORAGE_LOCATION_PHASES).toEqual(['Available', 'Unavailable']);
  });

  for (const [what, phases, judge] of [
    ['backup', BACKUP_PHASES, judgeBackup],
    ['restore', RESTORE_PHASES, judgeRestore],
  ] as const) {
    for (const phase of phases) {
      it(`${what} ${phase}: ${phase === 'Completed' ? 'passes with zero errors' : 'is not a pass'}`, () => {
        const j = judge({
          metadata: { name: 'x' },
          status: {
            phase,
            errors: phase === 'Completed' ? 0 : 3,
            failureReason: 'disk gone',
            validationErrors: ['bad ttl'],
          },
        });
        expect(j.ok).toBe(phase === 'Completed');
        expect(j.phase).toBe(phase);
        if (phase !== 'Completed') expect(j.reason).toMatch(EXPECTED_WORDS[phase]!);
      });
    }
    it(`${what}: Completed with errors, no phase, or an unknown phase is not a pass`, () => {
      expect(judge({ status: { phase: 'Completed', errors: 1 } }).ok).toBe(false);
      expect(judge({ status: {} }).reason).toMatch(/no phase/);
      const odd = judge({ status: { phase: 'Done' } });
      expect(odd.ok).toBe(false);
      expect(odd.reason).toMatch(/"Done", which Velero does not define/);
    });
  }

  it('a Completed restore with warnings passes and says so', () => {
    expect(judgeRestore({ status: { phase: 'Completed', warnings: 2 } })).toMatchObject({
      ok: true,
      reason: 'Completed with 2 warnings',
    });
  });

  it('schedules: only Enabled and not paused', () => {
    expect(judgeSchedule({ status: { phase: 'Enabled' } }).ok).toBe(true);
    expect(judgeSchedule({ spec: { paused: true }, status: { phase: 'Enabled' } }).reason).toMatch(/paused/);
    expect(judgeSchedule({ status: { phase: 'New' } }).ok).toBe(false);
    expect(
      judgeSchedule({ status: { phase: 'FailedValidation', validationErrors: ['invalid schedule'] } }).reason,
    ).toMatch(/invalid schedule/);
  });

  it('storage locations: only Available', () => {
    expect(judgeStorageLocation({ status: { phase: 'Available' } }).ok).toBe(true);
    expect(judgeStorageLocation({ status: { phase: 'Unavailable', message: 'bucket gone' } }).reason).toMatch(
      /Unavailable: bucket gone/,
    );
    expect(judgeStorageLocation({ status: {} }).ok).toBe(false);
  });
});

function healthy(): VeleroReading {
  return {
    namespace: 'velero',
    locations: [{ metadata: { name: 'default' }, status: { phase: 'Available' } }],
    schedules: [
      {
        metadata: { name: 'nightly' },
        spec: { schedule: '0 2 * * *' },
        status: { phase: 'Enabled', lastBackup: hoursAgo(4) },
      },
    ],
    backups: [
      {
        metadata: { name: 'nightly-20261205020000', labels: { 'velero.io/schedule-name': 'nightly' } },
        status: { phase: 'Completed', startTimestamp: hoursAgo(28), completionTimestamp: hoursAgo(27.9) },
      },
      {
        metadata: { name: 'nightly-20261206020000', labels: { 'velero.io/schedule-name': 'nightly' } },
        status: { phase: 'Completed', startTimestamp: hoursAgo(4), completionTimestamp: hoursAgo(3.9) },
      },
    ],
  };
}

const want = {
  schedules: [{ schedule: 'nightly', covers: ['rentguy-api', 'psra-api'], rpoMs: 24 * 3_600_000 }],
  storageLocations: [],
  rpoMs: 24 * 3_600_000,
};

describe('assessVelero', () => {
  it('a healthy installation passes, with the newest backup named and aged, per covered service', () => {
    const checks = assessVelero(healthy(), want, NOW);
    expect(checks.every((c) => c.ok)).toBe(true);
    const backup = checks.find((c) => c.check === 'backup:nightly' && c.service === 'psra-api')!;
    expect(backup.data).toMatchObject({ name: 'nightly-20261206020000', ageSeconds: 14040 });
    expect(checks.filter((c) => c.check === 'backup:nightly').map((c) => c.service)).toEqual([
      'rentguy-api',
      'psra-api',
    ]);
  });

  it('the newest backup decides, even when an older one completed', () => {
    const read = healthy();
    read.backups[1]!.status = { phase: 'PartiallyFailed', errors: 2, startTimestamp: hoursAgo(4) };
    const c = assessVelero(read, want, NOW).find((x) => x.check === 'backup:nightly')!;
    expect(c.ok).toBe(false);
    expect(c.reason).toMatch(/nightly-20261206020000 partially failed with 2 errors/);
  });

  it('a backup older than the RPO fails, and so does the schedule', () => {
    const read = healthy();
    read.backups.pop();
    read.schedules[0]!.status!.lastBackup = hoursAgo(28);
    const checks = assessVelero(read, want, NOW).filter((c) => !c.ok);
    expect(checks.map((c) => c.check)).toEqual([
      'schedule:nightly',
      'schedule:nightly',
      'backup:nightly',
      'backup:nightly',
    ]);
    expect(checks.find((c) => c.check === 'backup:nightly')!.reason).toMatch(
      /Completed 28 h ago, beyond the recovery-point objective of 24 h/,
    );
  });

  it('absence is a failure: no location, no schedule, a named schedule or backup missing', () => {
    const empty = { namespace: 'velero', locations: [], schedules: [], backups: [] };
    const none = assessVelero(empty, { ...want, schedules: [] }, NOW);
    expect(none.map((c) => [c.check, c.ok])).toEqual([
      ['storage-location', false],
      ['schedule', false],
    ]);
    const read = healthy();
    read.backups = [];
    const missing = assessVelero(read, { ...want, schedules: [{ ...want.schedules[0]!, covers: [] }] }, NOW);
    expect(missing.find((c) => c.check === 'backup:nightly')).toMatchObject({ ok: false, service: 'velero' });
    const gone = assessVelero(
      healthy(),
      { ...want, schedules: [{ ...want.schedules[0]!, schedule: 'hourly' }] },
      NOW,
    );
    expect(gone.find((c) => c.check === 'schedule:hourly')!.reason).toMatch(/not found in velero/);
  });

  it('a paused schedule fails', () => {
    const read = healthy();
    read.schedules[0]!.spec = { paused: true };
    expect(assessVelero(read, want, NOW).find((c) => c.check === 'schedule:nightly')!.reason).toMatch(
      /paused/,
    );
  });
});

describe('the restore drill, purely', () => {
  const backup = (name: string, phase: string, hours: number, namespaces = ['sevensa-apps']) => ({
    metadata: { name, labels: { 'velero.io/schedule-name': 'nightly' } },
    spec: { includedNamespaces: namespaces },
    status: { phase, completionTimestamp: hoursAgo(hours) },
  });

  it('restores the newest Completed backup of the schedule, not a newer failed one', () => {
    const source = drillSource(
      [backup('old', 'Completed', 28), backup('new', 'PartiallyFailed', 4), backup('older', 'Completed', 52)],
      'nightly',
      NOW,
    );
    expect(source).toMatchObject({
      ok: true,
      name: 'old',
      namespaces: ['sevensa-apps'],
      ageMs: 28 * 3_600_000,
    });
  });

  it('refuses a schedule without a Completed backup, and a backup of every namespace', () => {
    expect(drillSource([backup('x', 'Failed', 1)], 'nightly', NOW)).toEqual({
      ok: false,
      reason: 'no Completed backup of schedule nightly to restore',
    });
    const all = drillSource([backup('x', 'Completed', 1, ['*'])], 'nightly', NOW);
    expect(all.ok === false && all.reason).toMatch(/names no namespaces/);
  });

  it('names scratch namespaces and Restores within 63 characters', () => {
    expect(scratchNamespace('cutover-drill', 'sevensa-apps')).toBe('cutover-drill-sevensa-apps');
    expect(scratchNamespace('p', 'x'.repeat(70))).toHaveLength(63);
    const name = drillRestoreName('cutover-drill', 'n'.repeat(80), '051210-30bf');
    expect(name).toHaveLength(63);
    expect(name.endsWith('-051210-30bf')).toBe(true);
  });

  it('judges the end: a deadline passed is not a pass, warnings fail only when asked', () => {
    const end = { restore: { metadata: { name: 'r' }, status: { phase: 'Completed', warnings: 2 } } };
    const source = { name: 'b', ageMs: 3_600_000 };
    const base = { timedOut: false, waitedMs: 3000, timeoutMs: 30_000, failOnWarnings: false };
    expect(judgeDrill(source, { ...end, ...base })).toEqual({
      ok: true,
      phase: 'Completed',
      reason: 'Restore r of backup b (1 h old) Completed with 2 warnings in 3 s',
    });
    expect(judgeDrill(source, { ...end, ...base, failOnWarnings: true }).ok).toBe(false);
    const slow = judgeDrill(source, {
      restore: { metadata: { name: 'r' }, status: { phase: 'InProgress' } },
      ...base,
      timedOut: true,
    });
    expect(slow).toMatchObject({
      ok: false,
      reason:
        'Restore r of backup b (1 h old) did not finish within 30 s: it is still running (phase InProgress)',
    });
  });
});
