// The run record's schema, versioned. A reader validates what it reads, so a corrupt or foreign file is
// a clear message rather than a crash deep in a renderer.
import { z } from 'zod';

export const RUN_SCHEMA = 'cutover.run/v1';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const checkResultSchema = z.object({
  suite: z.string(),
  environment: z.string(),
  service: z.string(),
  check: z.string(),
  status: z.enum(['pass', 'fail', 'skip']),
  reason: z.string(),
  data: z.record(z.string(), scalar).optional(),
  at: z.string(),
});

export const criterionResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['PASS', 'FAIL', 'INCONCLUSIVE', 'WAIVED']),
  reason: z.string(),
  blocking: z.boolean(),
  successCriterion: z.number().int().optional(),
  evidence: z.string().optional(),
});

export const verdictSchema = z.enum(['GO', 'NO-GO', 'INCONCLUSIVE']);

export const gateResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  verdict: verdictSchema,
  summary: z.string(),
  criteria: z.array(criterionResultSchema),
});

export const runStatusSchema = z.enum(['running', 'completed', 'interrupted', 'failed']);

export const runMetaSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]+$/),
  command: z.string(),
  startedAt: z.string(),
  tool: z.object({ name: z.string(), version: z.string(), node: z.string() }),
  config: z.object({ file: z.string(), project: z.string() }),
  environments: z.array(
    z.object({
      name: z.string(),
      kind: z.string(),
      services: z.array(z.object({ id: z.string(), url: z.string() })),
    }),
  ),
  services: z.array(
    z.object({ id: z.string(), tier: z.string(), phase: z.number(), wave: z.string().optional() }),
  ),
  faults: z.array(z.string()),
});

export const runRecordSchema = runMetaSchema.extend({
  schema: z.literal(RUN_SCHEMA),
  status: runStatusSchema,
  finishedAt: z.string().optional(),
  checks: z.array(checkResultSchema),
  gates: z.array(gateResultSchema),
  verdict: verdictSchema.optional(),
  /** Set when the record was rebuilt from events.jsonl because run.json was never written. */
  partial: z.boolean().optional(),
  notes: z.array(z.string()).optional(),
});

export const runEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run-start'), at: z.string(), run: runMetaSchema }),
  z.object({ type: z.literal('check'), check: checkResultSchema }),
  z.object({ type: z.literal('gate'), gate: gateResultSchema }),
  z.object({
    type: z.literal('run-end'),
    at: z.string(),
    status: runStatusSchema,
    verdict: verdictSchema.optional(),
  }),
]);

export type RunMeta = z.infer<typeof runMetaSchema>;
export type RunRecord = z.infer<typeof runRecordSchema>;
export type RunEvent = z.infer<typeof runEventSchema>;
export type RunStatus = z.infer<typeof runStatusSchema>;
