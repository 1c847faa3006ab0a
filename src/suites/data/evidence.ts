// Turns data diffs into checks (suite `data-parity`, the name the gates' `data-parity.failed == 0` reads)
// and coverage: one check per database and table — pass (equal), fail (with the first differing keys and
// changed columns, and the schema differences), or skip (inconclusive, with the reason) — plus one per
// database for differences outside any table (extensions, free sequences). A skipped check makes the
// coverage partial, so a gate cannot pass over a table that was not compared.

import { type DatabaseDiff, formatKey, type TableDiff } from '../../core/data/model.js';
import type { CoverageEvidence } from '../../core/evidence.js';
import type { CheckResult } from '../../core/model.js';

export const DATA_PARITY_SUITE = 'data-parity';
const FIRST_KEYS = 5;

export type CheckDraft = Omit<CheckResult, 'suite' | 'environment' | 'at'>;

function listed<T>(items: T[], show: (t: T) => string, more: boolean): string {
  const shown = items.slice(0, FIRST_KEYS).map(show).join(', ');
  const rest = items.length - FIRST_KEYS;
  return rest > 0 || more ? `${shown}, …` : shown;
}

/** What differs in a table, with the first keys: "2 missing (id=4, id=9); 1 changed (id=7: status)". */
export function describeTable(t: TableDiff): string {
  const parts: string[] = [];
  if (t.counts.baseline !== null && t.counts.target !== null && t.counts.baseline !== t.counts.target)
    parts.push(`${t.counts.baseline} rows in the baseline, ${t.counts.target} in the target`);
  const more = t.truncated;
  if (t.missing.length)
    parts.push(
      `${t.missing.length}${more ? '+' : ''} missing from the target (${listed(t.missing, formatKey, more)})`,
    );
  if (t.extra.length)
    parts.push(
      `${t.extra.length}${more ? '+' : ''} extra in the target (${listed(t.extra, formatKey, more)})`,
    );
  if (t.changed.length)
    parts.push(
      `${t.changed.length}${more ? '+' : ''} changed (${listed(t.changed, (c) => `${formatKey(c.key)}: ${c.columns.join(', ') || 'row'}`, more)})`,
    );
  for (const s of t.schema) parts.push(s.detail);
  if (!parts.length) parts.push(t.reason ?? 'the checksums differ');
  return parts.join('; ');
}

export function tableCheck(database: string, service: string, t: TableDiff): CheckDraft {
  const data: Record<string, string | number> = {
    database,
    table: t.table,
    ...(t.counts.baseline !== null ? { baselineRows: t.counts.baseline } : {}),
    ...(t.counts.target !== null ? { targetRows: t.counts.target } : {}),
    missing: t.missing.length,
    extra: t.extra.length,
    changed: t.changed.length,
  };
  const first = [...t.missing, ...t.extra, ...t.changed.map((c) => c.key)][0];
  if (first) data.firstKey = formatKey(first);
  const warnings = t.warnings.length ? ` (${t.warnings.join('; ')})` : '';
  const check = `${database} ${t.table}`;
  if (t.status === 'inconclusive')
    return {
      service,
      check,
      status: 'skip',
      reason: `could not be compared: ${t.reason ?? 'unknown reason'}`,
      data,
    };
  if (t.status === 'equal')
    return {
      service,
      check,
      status: 'pass',
      reason: `${t.counts.baseline ?? 0} rows equal${warnings}`,
      data,
    };
  return { service, check, status: 'fail', reason: `${describeTable(t)}${warnings}`, data };
}

/** Every check of one database's diff. */
export function databaseChecks(database: string, service: string, diff: DatabaseDiff): CheckDraft[] {
  if (diff.error) return [{ service, check: `${database} connection`, status: 'skip', reason: diff.error }];
  const checks = diff.tables.map((t) => tableCheck(database, service, t));
  const loose = diff.schema.filter((s) => !s.table);
  checks.push(
    loose.length
      ? {
          service,
          check: `${database} schema`,
          status: 'fail',
          reason: loose.map((s) => s.detail).join('; '),
        }
      : { service, check: `${database} schema`, status: 'pass', reason: 'extensions and sequences equal' },
  );
  return checks;
}

/** The suite's coverage in the target environment: complete only when every check was decided. */
export function dataCoverage(
  environment: string,
  checks: readonly CheckDraft[],
  at: string,
): CoverageEvidence {
  const skipped = checks.filter((c) => c.status === 'skip');
  return {
    kind: 'coverage',
    suite: DATA_PARITY_SUITE,
    environment,
    scope: DATA_PARITY_SUITE,
    status:
      checks.length === 0
        ? 'could-not-check'
        : skipped.length === 0
          ? 'complete'
          : skipped.length === checks.length
            ? 'could-not-check'
            : 'partial',
    reason:
      checks.length === 0
        ? 'no database configured (data.databases): nothing was compared'
        : skipped.length === 0
          ? `${checks.length} tables and schemas compared`
          : `${skipped.length} of ${checks.length} could not be compared: ${skipped[0]!.check}: ${skipped[0]!.reason}`,
    counts: { checks: checks.length },
    at,
  };
}
