// Past runs in a reports folder, newest first, with their verdicts and key figures: what
// `cutover history` lists and what the HTML report's trend chart draws.

import type { Verdict } from '../core/model.js';
import { listRunDirs, readRunSummary } from './reader.js';
import type { RunSummary } from './run-schema.js';

/** What the report's trend chart draws of an earlier run. */
export interface HistoryRow {
  id: string;
  startedAt: string;
  verdict: Verdict | 'none';
  failed: number;
  inconclusive: number;
}

export interface HistoryEntry extends HistoryRow {
  dir: string;
  command: string;
  status: string;
  gates: { id: string; verdict: string }[];
  checks: { total: number; failed: number };
  /** Worst p(95) ratio of target to baseline across the run's latency criteria, when it has one. */
  worstRatio?: number;
  faults: string[];
}

function entryOf(dir: string, r: RunSummary): HistoryEntry {
  const blocking = r.gates.flatMap((g) => g.criteria.filter((c) => c.blocking));
  const ratios = r.gates
    .flatMap((g) => g.criteria)
    .filter((c) => c.unit === 'ratio' && typeof c.value === 'number' && c.id.startsWith('perf'))
    .map((c) => c.value as number);
  return {
    dir,
    id: r.id,
    startedAt: r.startedAt,
    command: r.command,
    status: r.status,
    verdict: r.verdict ?? 'none',
    failed: blocking.filter((c) => c.status === 'FAIL').length,
    inconclusive: blocking.filter((c) => c.status === 'INCONCLUSIVE').length,
    gates: r.gates.map((g) => ({ id: g.id, verdict: g.verdict })),
    checks: { total: r.checks.length, failed: r.checks.filter((c) => c.status === 'fail').length },
    ...(ratios.length ? { worstRatio: Math.max(...ratios) } : {}),
    faults: r.faults,
  };
}

/** Up to `limit` runs, newest first; unreadable runs are reported as such rather than hidden. */
export function readHistory(
  reportsPath: string,
  limit: number,
): { entries: HistoryEntry[]; unreadable: string[] } {
  const entries: HistoryEntry[] = [];
  const unreadable: string[] = [];
  for (const dir of listRunDirs(reportsPath).slice(0, limit)) {
    try {
      entries.push(entryOf(dir, readRunSummary(dir)));
    } catch (error) {
      unreadable.push(`${dir}: ${(error as Error).message}`);
    }
  }
  return { entries, unreadable };
}
