// The run record's schema, versioned. A reader validates what it reads, so a corrupt or foreign file is
// a clear message rather than a crash deep in a renderer.
import { z } from 'zod';
import type {
  CoverageEvidence,
  Evidence,
  FindingEvidence,
  MetricEvidence,
  ParityDifference,
  ParityEvidence,
} from '../core/evidence.js';
import type { CheckResult, CriterionGroup, CriterionResult, GateResult } from '../core/model.js';
import type { LoadSeries, LoadSeriesKey, LoadSeriesPoint } from '../core/series.js';

export const RUN_SCHEMA = 'cutover.run/v1';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/**
 * A number of the model (`number`), as JSON can hold it. JSON has no NaN or ±Infinity: JSON.stringify
 * writes them as null, and a quantile of no samples or a ratio over zero is such a number. Read back,
 * null is NaN again — a number that is not a figure, which the gates and renderers already handle as
 * the run did (null would pass for 0 in arithmetic) — so one such value cannot make a run unreadable.
 * Fields whose model is `number | null` keep null; `data` values are scalars, null among them.
 */
export const figure = z
  .union([z.number(), z.null()])
  .transform((v) => v ?? Number.NaN)
  .meta({ description: 'a number; null where it was not finite (NaN or Infinity)' });

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

const intervalSchema = z.object({ low: figure, high: figure, level: figure });

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
  n: figure.optional(),
  nBaseline: figure.optional(),
  rule: z.string().optional(),
  samplesToSettle: figure.optional(),
  groups: z
    .array(
      z.object({
        key: z.string(),
        status: z.enum(['PASS', 'FAIL', 'INCONCLUSIVE', 'WAIVED']),
        reason: z.string(),
        value: z.number().nullable().optional(),
        limit: z.number().nullable().optional(),
        interval: intervalSchema.optional(),
        n: figure.optional(),
        nBaseline: figure.optional(),
        target: figure.optional(),
        baseline: figure.optional(),
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
  phase: figure.optional(),
  wave: z.string().optional(),
  decides: z.boolean().optional(),
  aside: z.string().optional(),
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
  compared: figure,
  equal: figure,
  differences: z.array(
    z.object({
      path: z.string(),
      kind: z.enum(['value', 'type', 'missing', 'extra', 'length', 'order', 'status', 'header']),
      // Optional: zod 4 requires a z.unknown() key, and JSON drops the undefined value of a `missing`
      // difference's target (an `extra` one's baseline), so such a run could not be read back.
      baseline: z.unknown().optional(),
      target: z.unknown().optional(),
    }),
  ),
  noise: z.array(z.string()),
  reason: z.string().optional(),
  learnedNoise: z.array(z.string()).optional(),
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
    passes: figure.optional(),
    fails: figure.optional(),
    count: figure.optional(),
    value: figure.optional(),
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
    counts: z.record(z.string(), figure).optional(),
    service: z.string().optional(),
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
  t: figure,
  requests: figure,
  failed: figure,
  dropped: figure,
  p50Ms: figure,
  p95Ms: figure,
  p99Ms: figure,
  maxMs: figure,
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
    z.object({ id: z.string(), tier: z.string(), phase: figure, wave: z.string().optional() }),
  ),
  faults: z.array(z.string()),
  /** The suites the run planned, in order (absent in records from before: see engine/gates.ts suitesOf). */
  suites: z.array(z.string()).optional(),
});

/** A suite that ran to its end; a planned suite without one did not finish (core/run-verdict.ts). */
export const suiteEndSchema = z.object({
  suite: z.string(),
  status: z.enum(['completed', 'failed']),
  reason: z.string().optional(),
  at: z.string(),
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
  suiteEnds: z.array(suiteEndSchema).optional(),
  /** What the runs a `cutover gate` record was judged from lacked (interrupted, a suite that did not finish). */
  evidenceGaps: z.array(z.string()).optional(),
  gates: z.array(gateResultSchema),
  verdict: verdictSchema.optional(),
  /** Why the run has its verdict, in one line (core/run-verdict.ts). */
  verdictReason: z.string().optional(),
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
  z.object({ type: z.literal('suite-end'), end: suiteEndSchema }),
  z.object({ type: z.literal('gate'), gate: gateResultSchema }),
  z.object({ type: z.literal('series-point'), series: seriesKeySchema, point: seriesPointSchema }),
  z.object({
    type: z.literal('run-end'),
    at: z.string(),
    status: runStatusSchema,
    verdict: verdictSchema.optional(),
    verdictReason: z.string().optional(),
  }),
]);

export type RunMeta = z.infer<typeof runMetaSchema>;
export type RunRecord = z.output<typeof runRecordSchema>;
export type RunEvent = z.infer<typeof runEventSchema>;
export type RunStatus = z.infer<typeof runStatusSchema>;
export type SuiteEnd = z.infer<typeof suiteEndSchema>;

// The schemas mirror the model's interfaces (core/model.ts, core/evidence.ts, core/series.ts), which
// the code that records and reads runs is written against. These assertions make tsc fail when the two
// drift apart: a field added, dropped, retyped or made optional on one side only. The error names the
// keys only one side has (none: a field of both differs in type or optionality).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Mirrors<Schema, Model> =
  Same<Schema, Model> extends true
    ? true
    : { schemaOnly: Exclude<keyof Schema, keyof Model>; modelOnly: Exclude<keyof Model, keyof Schema> };
type Assert<T extends true> = T;
type EvidenceOf<K extends Evidence['kind']> = Extract<z.output<typeof evidenceSchema>, { kind: K }>;
type CriterionOut = z.output<typeof criterionResultSchema>;

export type SchemasMirrorTheModel = [
  Assert<Mirrors<z.output<typeof checkResultSchema>, CheckResult>>,
  Assert<Mirrors<EvidenceOf<'metric'>, MetricEvidence>>,
  Assert<Mirrors<EvidenceOf<'parity'>, ParityEvidence>>,
  Assert<Mirrors<EvidenceOf<'parity'>['differences'][number], ParityDifference>>,
  Assert<Mirrors<EvidenceOf<'finding'>, FindingEvidence>>,
  Assert<Mirrors<EvidenceOf<'coverage'>, CoverageEvidence>>,
  Assert<Mirrors<z.output<typeof evidenceSchema>, Evidence>>,
  Assert<Mirrors<CriterionOut, CriterionResult>>,
  Assert<Mirrors<NonNullable<CriterionOut['groups']>[number], CriterionGroup>>,
  Assert<Mirrors<z.output<typeof gateResultSchema>, GateResult>>,
  Assert<Mirrors<z.output<typeof seriesKeySchema>, LoadSeriesKey>>,
  Assert<Mirrors<z.output<typeof seriesPointSchema>, LoadSeriesPoint>>,
  Assert<Mirrors<z.output<typeof loadSeriesSchema>, LoadSeries>>,
];
