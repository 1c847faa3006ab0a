// `cutover history`: past runs, newest first, with verdicts and key figures.
import { loadConfig } from '../../config/load.js';
import { EXIT, UserError } from '../../core/errors.js';
import { readHistory } from '../../record/history.js';
import type { Io } from '../io.js';
import { displayPath } from './run.js';

export interface HistoryFlags {
  config?: string;
  limit?: string;
  json?: boolean;
}

export async function historyCommand(io: Io, flags: HistoryFlags): Promise<number> {
  const config = await loadConfig(io.cwd, flags.config);
  const limit = flags.limit === undefined ? 20 : Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new UserError(`--limit ${flags.limit}: expected a positive whole number`);
  const { entries, unreadable } = readHistory(config.reportsPath, limit);
  if (flags.json) {
    io.stdout(
      `${JSON.stringify({ runs: entries.map(({ dir, ...e }) => ({ ...e, dir: displayPath(io, dir) })), unreadable })}\n`,
    );
    return EXIT.GO;
  }
  if (entries.length === 0) io.stdout(`No runs under ${displayPath(io, config.reportsPath)} yet.\n`);
  for (const e of entries) {
    const gates = e.gates.map((g) => `${g.id}:${g.verdict}`).join(' ');
    const ratio = e.worstRatio !== undefined ? `, worst p95 ratio ${e.worstRatio.toFixed(3)}` : '';
    io.stdout(
      `${e.id}  ${e.verdict.padEnd(12)} ${e.command.padEnd(22)} ${e.checks.failed}/${e.checks.total} checks failed, ${e.failed} failed / ${e.inconclusive} inconclusive blocking criteria${ratio}${e.faults.length ? `, faults ${e.faults.join(' ')}` : ''}\n    ${gates}\n`,
    );
  }
  for (const u of unreadable) io.stderr(`unreadable run: ${u}\n`);
  return EXIT.GO;
}
