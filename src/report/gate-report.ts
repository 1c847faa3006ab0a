// report.json: the gate result of a run with a versioned schema (`cutover.gate-report/v1`), published
// as JSON Schema in schemas/ (generated from this zod schema; a test keeps the file in step). Fields
// are added, never removed: a reader of the first version reads every later one.
import { z } from 'zod';
import { findingEvidenceSchema, parityEvidenceSchema } from '../core/evidence.js';
import { gateResultSchema, verdictSchema } from '../core/model.js';
import { successCriteriaEvidence, successCriterionEvidenceSchema } from '../core/success-criteria.js';
import type { RunRecord } from '../record/run-schema.js';
import { findingsOf, parityOf } from './evidence-text.js';
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
    tool: z.object({
      name: z.string(),
      version: z.string(),
      node: z.string(),
      /** Added: the browser the browser suite drove, such as `Chromium 156.0.8078.129`. */
      browser: z.string().optional(),
    }),
  }),
  verdict: verdictSchema,
  /** Why the run has its verdict (core/run-verdict.ts); added in 0.2, absent in earlier reports. */
  verdictReason: z.string().optional(),
  gates: z.array(gateResultSchema),
  /** Added: how far the evidence goes toward each of the migration plan's six success criteria. */
  successCriteria: z.array(successCriterionEvidenceSchema).optional(),
  /** Added: every integration step compared, with both values of each difference. */
  parity: z.array(parityEvidenceSchema).optional(),
  /** Added: every security finding, most severe first, whether or not a gate reads it. */
  findings: z.array(findingEvidenceSchema).optional(),
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
    ...(record.verdictReason ? { verdictReason: record.verdictReason } : {}),
    gates: record.gates,
    successCriteria: successCriteriaEvidence(record.gates),
    parity: parityOf(record).items,
    findings: findingsOf(record),
  };
}

export function renderGateReportJson(record: RunRecord): string {
  return `${jsonText(gateReportOf(record), 2)}\n`;
}

/**
 * The published JSON Schema (draft 2020-12) of report.json: the file as written (`io: 'input'`), where
 * a figure that was not finite is null (core/figure.ts). Its objects hold no other keys; zod's
 * input side would allow them (it strips them), so that is said explicitly.
 */
export function gateReportJsonSchema(): string {
  const schema = z.toJSONSchema(gateReportSchema, {
    target: 'draft-2020-12',
    io: 'input',
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema._zod.def.type === 'object' && jsonSchema.additionalProperties === undefined)
        jsonSchema.additionalProperties = false;
    },
  });
  return `${JSON.stringify({ $id: 'https://sevensa.example/schemas/cutover.gate-report.v1.json', title: 'Cutover gate report', ...schema }, null, 2)}\n`;
}
