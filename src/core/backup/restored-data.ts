// Whether a restored database holds what the live one does, from the data diff between them (live as
// the baseline side, the restored copy as the target): equal schema and every table equal is a pass; a
// schema difference, a differing table (named with its first keys) or a table that could not be compared
// is not — the drill owns the scratch copy, so a table it cannot read is a finding, not a shrug.
import { type DatabaseDiff, differingRows, formatKey, type TableDiff } from '../data/model.js';

export interface RestoredDataJudgement {
  ok: boolean;
  reason: string;
  data: Record<string, string | number | boolean | null>;
}

const FIRST = 3;

function tableText(t: TableDiff): string {
  if (t.status === 'inconclusive')
    return `${t.table} could not be compared (${t.reason ?? 'no reason given'})`;
  const parts = [
    t.missing.length
      ? `${t.missing.length}${t.truncated ? '+' : ''} missing from the restore (${t.missing.slice(0, FIRST).map(formatKey).join(', ')})`
      : '',
    t.extra.length ? `${t.extra.length} extra (${t.extra.slice(0, FIRST).map(formatKey).join(', ')})` : '',
    t.changed.length
      ? `${t.changed.length} changed (${t.changed
          .slice(0, FIRST)
          .map((c) => `${formatKey(c.key)}: ${c.columns.join(', ')}`)
          .join('; ')})`
      : '',
  ].filter(Boolean);
  if (t.counts.baseline !== null && t.counts.target !== null && t.counts.baseline !== t.counts.target)
    parts.unshift(`${t.counts.baseline} rows live, ${t.counts.target} restored`);
  return `${t.table}: ${parts.join('; ') || t.reason || 'the checksums differ'}`;
}

export function judgeRestoredData(diff: DatabaseDiff, restored: string): RestoredDataJudgement {
  const rows = diff.tables.reduce((n, t) => n + (t.counts.baseline ?? 0), 0);
  const data = {
    live: diff.baseline,
    restored: diff.target,
    tables: diff.tables.length,
    rows,
    differingTables: diff.tables.filter((t) => t.status !== 'equal').length,
    schemaDifferences: diff.schema.length,
  };
  if (diff.error)
    return {
      ok: false,
      reason: `${restored} could not be compared with the live database: ${diff.error}`,
      data,
    };
  const problems = [
    ...diff.schema.slice(0, FIRST).map((d) => `schema: ${d.detail}`),
    ...diff.tables.filter((t) => t.status !== 'equal').map(tableText),
  ];
  if (problems.length) {
    const more = diff.schema.length > FIRST ? ` (+${diff.schema.length - FIRST} schema differences)` : '';
    return {
      ok: false,
      reason: `${restored} differs from the live database: ${problems.slice(0, 4).join('; ')}${more}`,
      data,
    };
  }
  const differing = diff.tables.reduce((n, t) => n + differingRows(t), 0);
  return {
    ok: differing === 0,
    reason: `${restored} equals the live database: ${diff.tables.length} tables, ${rows} rows, same schema`,
    data,
  };
}
