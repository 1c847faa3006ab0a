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

const intervalSchema = z.object({ low: z.number(), high: z.number(), level: z.number() });

export const criterionResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['PASS', 'FAIL', 'INCONCLUSIVE', 'WAIVED']),
  reason: z.string(),
  blocking: z.boolean(),
  successCriterion: z.number().int().optional(),
  evidence: z.string().optional(),
  // Figures behind the verdict (issue 3); optional so records of the first version still read.
  value: z.number().nullable().optional(),
  limit: z.number().nullable().optional(),
  unit: z.string().optional(),
  interval: intervalSchema.optional(),
  n: z.number().optional(),
  nBaseline: z.number().optional(),
  rule: z.string().optional(),
  samplesToSettle: z.number().optional(),
  groups: z
    .array(
      z.object({
        key: z.string(),
        status: z.enum(['PASS', 'FAIL', 'INCONCLUSIVE', 'WAIVED']),
        reason: z.string(),
        value: z.number().nullable().optional(),
        limit: z.number().nullable().optional(),
        interval: intervalSchema.optional(),
        n: z.number().optional(),
        nBaseline: z.number().optional(),
        target: z.number().optional(),
        baseline: z.number().optional(),
      }),
    )
    .optional(),
  waiver: z
    .object({
      owner: z.string(),
      reason: z.string(),
      expires: z.string(),
      expired: z.boolean(),
      file: z.string().optional(),
    })
    .optional(),
  missing: z.string().optional(),
});

export const verdictSchema = z.enum(['GO', 'NO-GO', 'INCONCLUSIVE']);

export const gateResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  verdict: verdictSchema,
  summary: z.string(),
  criteria: z.array(criterionResultSchema),
  phase: z.number().optional(),
  wave: z.string().optional(),
  decides: z.boolean().optional(),
  missing: z.array(z.string()).optional(),
});

const isoTime = z.string();

export const parityEvidenceSchema = z.object({
  kind: z.literal('parity'),
  suite: z.string(),
  environment: z.string(),
  baseline: z.string(),
  scenario: z.string(),
  step: z.string(),
  endpoint: z.string(),
  service: z.string().optional(),
  compared: z.number(),
  equal: z.number(),
  differences: z.array(
    z.object({
      path: z.string(),
      kind: z.enum(['value', 'type', 'missing', 'extra', 'length', 'order', 'status', 'header']),
      baseline: z.unknown(),
      target: z.unknown(),
    }),
  ),
  noise: z.array(z.string()),
  at: isoTime,
});

export const findingEvidenceSchema = z.object({
  kind: z.literal('finding'),
  suite: z.string(),
  environment: z.string(),
  source: z.string(),
  check: z.string(),
  severity: z.enum(['critical', 'high', 'medium', 'low', 'info']),
  object: z.string(),
  path: z.string(),
  message: z.string(),
  remedy: z.string(),
  at: isoTime,
});

export const evidenceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('metric'),
    suite: z.string(),
    environment: z.string(),
    name: z.string(),
    type: z.enum(['trend', 'rate', 'counter', 'gauge']),
    tags: z.record(z.string(), z.string()),
    at: isoTime,
    histogram: z.string().optional(),
    passes: z.number().optional(),
    fails: z.number().optional(),
    count: z.number().optional(),
    value: z.number().optional(),
  }),
  parityEvidenceSchema,
  findingEvidenceSchema,
  z.object({
    kind: z.literal('coverage'),
    suite: z.string(),
    environment: z.string(),
    scope: z.string(),
    status: z.enum(['complete', 'partial', 'could-not-check']),
    reason: z.string(),
    counts: z.record(z.string(), z.number()).optional(),
    at: isoTime,
  }),
]);

const seriesKeySchema = z.object({
  suite: z.string(),
  scenario: z.string(),
  service: z.string(),
  environment: z.string(),
  stepS: z.number().positive(),
  timelineS: z.number().positive().optional(),
});

const seriesPointSchema = z.object({
  t: z.number(),
  requests: z.number(),
  failed: z.number(),
  dropped: z.number(),
  p50Ms: z.number(),
  p95Ms: z.number(),
  p99Ms: z.number(),
  maxMs: z.number(),
});

/** The per-second load series (core/series.ts): bounded, one per suite, scenario and environment. */
export const loadSeriesSchema = seriesKeySchema.extend({ points: z.array(seriesPointSchema) });

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
  /** Metrics, parity, findings and coverage (absent in records of the first version: read as none). */
  evidence: z.array(evidenceSchema).default([]),
  /** Per-second load series for charts (absent in records from before it: no series). */
  series: z.array(loadSeriesSchema).optional(),
  gates: z.array(gateResultSchema),
  verdict: verdictSchema.optional(),
  /** Set when the record was rebuilt from events.jsonl because run.json was never written. */
  partial: z.boolean().optional(),
  notes: z.array(z.string()).optional(),
});

/**
 * What a run's history entry reads of its record (`cutover history`, the report's trend): the verdict,
 * the gates' criteria in brief, the checks' statuses. Validating only these (other fields are ignored,
 * not checked) spares reading up to 20 earlier runs in full before every report — with demo-sized
 * records that was ~0.2 s of CPU per command, most of it zod walking evidence nobody reads there.
 */
export const runSummarySchema = runRecordSchema
  .pick({ id: true, command: true, startedAt: true, faults: true, status: true, verdict: true })
  .extend({
    schema: z.literal(RUN_SCHEMA),
    checks: z.array(checkResultSchema.pick({ status: true })),
    gates: z.array(
      gateResultSchema.pick({ id: true, verdict: true }).extend({
        criteria: z.array(
          criterionResultSchema.pick({ id: true, status: true, blocking: true, value: true, unit: true }),
        ),
      }),
    ),
  });

export type RunSummary = z.output<typeof runSummarySchema>;

export const runEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run-start'), at: z.string(), run: runMetaSchema }),
  z.object({ type: z.literal('check'), check: checkResultSchema }),
  z.object({ type: z.literal('evidence'), evidence: evidenceSchema }),
  z.object({ type: z.literal('gate'), gate: gateResultSchema }),
  z.object({ type: z.literal('series-point'), series: seriesKeySchema, point: seriesPointSchema }),
  z.object({
    type: z.literal('run-end'),
    at: z.string(),
    status: runStatusSchema,
    verdict: verdictSchema.optional(),
  }),
]);

export type RunMeta = z.infer<typeof runMetaSchema>;
export type RunRecord = z.output<typeof runRecordSchema>;
export type RunEvent = z.infer<typeof runEventSchema>;
export type RunStatus = z.infer<typeof runStatusSchema>;
