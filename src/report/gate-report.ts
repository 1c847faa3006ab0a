// report.json: the gate result of a run with a versioned schema (`cutover.gate-report/v1`), published
// as JSON Schema in schemas/ (generated from this zod schema; a test keeps the file in step).
import { z } from 'zod';
import type { RunRecord } from '../record/run-schema.js';
import { gateResultSchema, verdictSchema } from '../record/run-schema.js';
import { jsonText } from './text.js';

export const GATE_REPORT_SCHEMA = 'cutover.gate-report/v1';

export const gateReportSchema = z.object({
  schema: z.literal(GATE_REPORT_SCHEMA),
  run: z.object({
    id: z.string(),
    command: z.string(),
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    status: z.string(),
    project: z.string(),
    faults: z.array(z.string()),
    tool: z.object({ name: z.string(), version: z.string(), node: z.string() }),
  }),
  verdict: verdictSchema,
  gates: z.array(gateResultSchema),
});

export type GateReport = z.infer<typeof gateReportSchema>;

export function gateReportOf(record: RunRecord): GateReport {
  return {
    schema: GATE_REPORT_SCHEMA,
    run: {
      id: record.id,
      command: record.command,
      startedAt: record.startedAt,
      ...(record.finishedAt ? { finishedAt: record.finishedAt } : {}),
      status: record.status,
      project: record.config.project,
      faults: record.faults,
      tool: record.tool,
    },
    verdict: record.verdict ?? 'INCONCLUSIVE',
    gates: record.gates,
  };
}

export function renderGateReportJson(record: RunRecord): string {
  return `${jsonText(gateReportOf(record), 2)}\n`;
}

/** The published JSON Schema (draft 2020-12) of report.json. */
export function gateReportJsonSchema(): string {
  const schema = z.toJSONSchema(gateReportSchema, { target: 'draft-2020-12' });
  return `${JSON.stringify({ $id: 'https://sevensa.example/schemas/cutover.gate-report.v1.json', title: 'Cutover gate report', ...schema }, null, 2)}\n`;
}
