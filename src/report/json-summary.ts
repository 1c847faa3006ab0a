// The `--json` contract: one object on stdout. Later versions may add fields, never remove these.
import type { CriterionResult } from '../core/model.js';
import type { RunRecord } from '../record/run-schema.js';
import { jsonText } from './text.js';

/** The figures behind a criterion's verdict, when it has them (phase gates). */
type CriterionFigures = Pick<
  CriterionResult,
  'value' | 'limit' | 'unit' | 'interval' | 'n' | 'nBaseline' | 'rule' | 'samplesToSettle' | 'missing'
>;

function figuresOf(c: CriterionResult): CriterionFigures {
  const out: CriterionFigures = {};
  for (const k of [
    'value',
    'limit',
    'unit',
    'interval',
    'n',
    'nBaseline',
    'rule',
    'samplesToSettle',
    'missing',
  ] as const) {
    if (c[k] !== undefined) (out as Record<string, unknown>)[k] = c[k];
  }
  return out;
}

export interface JsonSummary {
  verdict: 'GO' | 'NO-GO' | 'INCONCLUSIVE';
  /** Added with the one verdict rule (core/run-verdict.ts): why the run has its verdict. */
  verdictReason?: string;
  reportDir: string;
  runId: string;
  status: RunRecord['status'];
  criteria: { id: string; status: string; reason: string; gate: string; blocking: boolean }[];
  gates: {
    id: string;
    verdict: string;
    summary: string;
    criteria: ({ id: string; status: string; reason: string; blocking: boolean } & CriterionFigures)[];
    /** Added with the phase gates: whether the gate sets the verdict, and the evidence it lacks. */
    decides?: boolean;
    /** Why the run is not judged by this gate, when it is not. */
    aside?: string;
    missing?: string[];
  }[];
  checks: { total: number; failed: number; skipped: number };
}

export function renderJsonSummary(record: RunRecord, reportDir: string): string {
  const summary: JsonSummary = {
    verdict: record.verdict ?? 'INCONCLUSIVE',
    ...(record.verdictReason ? { verdictReason: record.verdictReason } : {}),
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
        ...figuresOf(c),
      })),
      ...(g.decides !== undefined ? { decides: g.decides } : {}),
      ...(g.aside ? { aside: g.aside } : {}),
      ...(g.missing ? { missing: g.missing } : {}),
    })),
    checks: {
      total: record.checks.length,
      failed: record.checks.filter((c) => c.status === 'fail').length,
      skipped: record.checks.filter((c) => c.status === 'skip').length,
    },
  };
  return `${jsonText(summary)}\n`;
}
