// The `--json` contract: one object on stdout. Later versions may add fields, never remove these.
import type { RunRecord } from '../record/run-schema.js';

export interface JsonSummary {
  verdict: 'GO' | 'NO-GO' | 'INCONCLUSIVE';
  reportDir: string;
  runId: string;
  status: RunRecord['status'];
  criteria: { id: string; status: string; reason: string; gate: string; blocking: boolean }[];
  gates: {
    id: string;
    verdict: string;
    summary: string;
    criteria: { id: string; status: string; reason: string; blocking: boolean }[];
  }[];
  checks: { total: number; failed: number; skipped: number };
}

export function renderJsonSummary(record: RunRecord, reportDir: string): string {
  const summary: JsonSummary = {
    verdict: record.verdict ?? 'INCONCLUSIVE',
    reportDir,
    runId: record.id,
    status: record.status,
    criteria: record.gates.flatMap((g) =>
      g.criteria.map((c) => ({
        id: c.id,
        status: c.status,
        reason: c.reason,
        gate: g.id,
        blocking: c.blocking,
      })),
    ),
    gates: record.gates.map((g) => ({
      id: g.id,
      verdict: g.verdict,
      summary: g.summary,
      criteria: g.criteria.map((c) => ({
        id: c.id,
        status: c.status,
        reason: c.reason,
        blocking: c.blocking,
      })),
    })),
    checks: {
      total: record.checks.length,
      failed: record.checks.filter((c) => c.status === 'fail').length,
      skipped: record.checks.filter((c) => c.status === 'skip').length,
    },
  };
  return `${JSON.stringify(summary)}\n`;
}
