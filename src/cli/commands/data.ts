// `cutover data diff`: compares every database of the config's `data` section between the baseline and
// the target (or --database ones, --table ones), prints per table what differs with the first keys and
// changed columns, and progress on a terminal. `--json` prints {"databases": [{id, service, diff}]};
// fields may be added, never removed. Exit: 0 all equal, 1 a difference, 3 something could not be
// compared, 2 bad input. Passwords come from the environment variables the config names.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { type DatabaseDiff, differingRows } from '../../core/data/model.js';
import { EXIT, UserError } from '../../core/errors.js';
import { diffDatabases } from '../../runners/postgres/index.js';
import { describeTable } from '../../suites/data/evidence.js';
import { diffLimits, planData } from '../../suites/data/plan.js';
import type { Io } from '../io.js';

export interface DataDiffFlags {
  config?: string;
  table?: string[];
  database?: string[];
  json?: boolean;
}

function render(id: string, diff: DatabaseDiff): string {
  const lines = [`${id}: ${diff.baseline} → ${diff.target}`];
  if (diff.error) lines.push(`  ? ${diff.error}`);
  for (const t of diff.tables) {
    const mark = t.status === 'equal' ? '✓' : t.status === 'different' ? '✗' : '?';
    const what =
      t.status === 'equal'
        ? `${t.counts.baseline} rows equal`
        : t.status === 'inconclusive'
          ? `could not be compared: ${t.reason}`
          : describeTable(t);
    lines.push(`  ${mark} ${t.table.padEnd(28)} ${what}`);
    for (const w of t.warnings) lines.push(`      warning: ${w}`);
  }
  for (const s of diff.schema.filter((d) => !d.table)) lines.push(`  ✗ ${s.detail}`);
  lines.push(`  ${diff.stats.queries} queries, ${diff.stats.bytes} bytes received, ${diff.stats.ms} ms`);
  return `${lines.join('\n')}\n`;
}

export async function dataDiffCommand(io: Io, flags: DataDiffFlags): Promise<number> {
  const config = await loadConfig(io.cwd, flags.config);
  const known = Object.keys(config.data.databases);
  if (!known.length)
    throw new UserError('no database to compare: the config has no data.databases', {
      hint: 'see docs/data.md for the `data` section',
    });
  for (const id of flags.database ?? [])
    if (!known.includes(id))
      throw new UserError(`--database ${id}: not in data.databases; known: ${known.join(', ')}`);
  const plan = planData({
    settings: config.data,
    environments: ['baseline', 'target'],
    env: io.env,
    options: { ...(flags.table?.length ? { tables: flags.table } : {}) },
    readCa: (file) => readFileSync(resolve(config.rootDir, file), 'utf8'),
  });
  const selected = plan.databases.filter((d) => !flags.database?.length || flags.database.includes(d.id));
  const live = io.isTTY && !io.ci && !flags.json;
  const results: Array<{ id: string; service: string; diff: DatabaseDiff }> = [];
  let worst: number = EXIT.GO;
  for (const db of selected) {
    if (db.problem || !db.baseline || !db.target) {
      const diff: DatabaseDiff = {
        baseline: '?',
        target: '?',
        error: db.problem ?? 'no connection',
        schema: [],
        tables: [],
        stats: { queries: 0, bytes: 0, ms: 0 },
      };
      results.push({ id: db.id, service: db.service, diff });
      worst = Math.max(worst, EXIT.INCONCLUSIVE);
      if (!flags.json) io.stdout(render(db.id, diff));
      continue;
    }
    const diff = await diffDatabases(db.baseline, db.target, {
      ...diffLimits(db, plan.settings),
      onProgress: (p) => {
        if (live) io.stderr(`\r\x1b[K${db.id}: ${p.done}/${p.total} tables — ${p.table} ${p.status ?? ''}`);
      },
    });
    if (live) io.stderr('\r\x1b[K');
    results.push({ id: db.id, service: db.service, diff });
    const inconclusive = diff.error || diff.tables.some((t) => t.status === 'inconclusive');
    const different = diff.tables.some((t) => t.status === 'different') || diff.schema.length > 0;
    worst = Math.max(worst, inconclusive ? EXIT.INCONCLUSIVE : different ? EXIT.NO_GO : EXIT.GO);
    if (!flags.json) io.stdout(render(db.id, diff));
  }
  if (flags.json) io.stdout(`${JSON.stringify({ databases: results }, null, 2)}\n`);
  else {
    const tables = results.flatMap((r) => r.diff.tables);
    const rows = tables.reduce((n, t) => n + differingRows(t), 0);
    io.stdout(
      `\n${tables.filter((t) => t.status === 'equal').length} tables equal, ${tables.filter((t) => t.status === 'different').length} different (${rows} rows listed), ${tables.filter((t) => t.status === 'inconclusive').length} not compared\n`,
    );
  }
  // A difference outweighs "could not compare": NO-GO is what the user must act on first.
  return worst === EXIT.INCONCLUSIVE &&
    results.some((r) => r.diff.tables.some((t) => t.status === 'different'))
    ? EXIT.NO_GO
    : worst;
}
