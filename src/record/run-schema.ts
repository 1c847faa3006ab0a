// The run record's schema, versioned. A reader validates what it reads, so a corrupt or foreign file is
// a clear message rather than a crash deep in a renderer. What the record holds of the model (checks,
// evidence, gates, load series, the services gates read) is the model's own schemas (core/model.ts,
// core/evidence.ts, core/series.ts, core/gates/input.ts), from which its types are inferred; this file
// adds what is the record's: the run's meta, suite ends, the events of events.jsonl and the summary a
// history entry reads.
import { z } from 'zod';
import { evidenceSchema } from '../core/evidence.js';
import { serviceInfoSchema } from '../core/gates/input.js';
import { checkResultSchema, criterionResultSchema, gateResultSchema, verdictSchema } from '../core/model.js';
import { loadSeriesKeySchema, loadSeriesPointSchema, loadSeriesSchema } from '../core/series.js';

export const RUN_SCHEMA = 'cutover.run/v1';

export const runStatusSchema = z.enum(['running', 'completed', 'interrupted', 'failed']);

export const runMetaSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]+$/),
  command: z.string(),
  startedAt: z.string(),
  tool: z.object({
    name: z.string(),
    version: z.string(),
    node: z.string(),
    /** The browser the browser suite drove, as it names itself: `Chromium 156.0.8078.129`. */
    browser: z.string().optional(),
  }),
  config: z.object({ file: z.string(), project: z.string() }),
  environments: z.array(
    z.object({
      name: z.string(),
      kind: z.string(),
      services: z.array(z.object({ id: z.string(), url: z.string() })),
    }),
  ),
  services: z.array(serviceInfoSchema),
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
  /**
   * The run's summary pushed to a Pushgateway (`--push URL`): where (its origin only, never credentials),
   * the grouping key, when, and whether it was taken. A failed push never changes the verdict.
   */
  push: z
    .object({
      url: z.string(),
      job: z.string(),
      groupings: z.record(z.string(), z.string()),
      at: z.string(),
      ok: z.boolean(),
      error: z.string().optional(),
    })
    .optional(),
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

/**
 * What `cutover status` reads of a run: its meta and its gate results in full (reasons, waivers, the
 * evidence's age), not the evidence itself.
 */
export const runGatesSchema = runRecordSchema
  .pick({ id: true, command: true, startedAt: true, finishedAt: true, status: true, verdict: true })
  .extend({ schema: z.literal(RUN_SCHEMA), gates: z.array(gateResultSchema) });

export type RunGatesRecord = z.output<typeof runGatesSchema>;

export const runEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run-start'), at: z.string(), run: runMetaSchema }),
  z.object({ type: z.literal('check'), check: checkResultSchema }),
  z.object({ type: z.literal('evidence'), evidence: evidenceSchema }),
  z.object({ type: z.literal('suite-end'), end: suiteEndSchema }),
  z.object({ type: z.literal('gate'), gate: gateResultSchema }),
  z.object({ type: z.literal('series-point'), series: loadSeriesKeySchema, point: loadSeriesPointSchema }),
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
