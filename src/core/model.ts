// The result model every suite writes and every gate reads. Plain data, so a verdict can be computed
// again from a run record alone. Each type is inferred from its zod schema, which is also how a run
// record reads it back (record/run-schema.ts): one description, so the model and the record cannot
// drift apart. A `number` field is a `figure` (core/figure.ts): JSON writes NaN as null, read back as NaN.
import { z } from 'zod';
import { figure } from './figure.js';

export const checkStatusSchema = z.enum(['pass', 'fail', 'skip']);
export type CheckStatus = z.output<typeof checkStatusSchema>;

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const checkResultSchema = z.object({
  suite: z.string(),
  environment: z.string(),
  service: z.string(),
  /** What was checked: reachable, status, content-type, health, tls, latency, … */
  check: z.string(),
  status: checkStatusSchema,
  /** Why, in words a person reads in the go/no-go meeting. */
  reason: z.string(),
  /** Measured values behind the reason (status code, latency figures, days to expiry). */
  data: z.record(z.string(), scalar).optional(),
  /** ISO time the check finished. */
  at: z.string(),
});

/** One observed fact about one service in one environment. */
export type CheckResult = z.output<typeof checkResultSchema>;

export const criterionStatusSchema = z.enum(['PASS', 'FAIL', 'INCONCLUSIVE', 'WAIVED']);
export type CriterionStatus = z.output<typeof criterionStatusSchema>;

export const verdictSchema = z.enum(['GO', 'NO-GO', 'INCONCLUSIVE']);
export type Verdict = z.output<typeof verdictSchema>;

const intervalSchema = z.object({ low: figure, high: figure, level: figure });

export const criterionGroupSchema = z.object({
  key: z.string(),
  status: criterionStatusSchema,
  reason: z.string(),
  value: z.number().nullable().optional(),
  limit: z.number().nullable().optional(),
  interval: intervalSchema.optional(),
  n: figure.optional(),
  nBaseline: figure.optional(),
  /**
   * For comparisons with the baseline: the target's and the baseline's own figure, in the criterion's
   * measure (a quantile in ms, a rate as a share, an exact value), so a report can show both sides
   * beside the derived value (`target − 1.1 × baseline`, a rate difference).
   */
  target: figure.optional(),
  baseline: figure.optional(),
});

/** One group of a criterion judged per endpoint, service or series. */
export type CriterionGroup = z.output<typeof criterionGroupSchema>;

export const criterionResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: criterionStatusSchema,
  reason: z.string(),
  /** A blocking criterion decides the verdict; a warning one is only reported. */
  blocking: z.boolean(),
  /** The migration plan's success criterion (1–6) this criterion serves. */
  successCriterion: z.number().int().optional(),
  /** The evidence it read, such as `smoke`. */
  evidence: z.string().optional(),
  // The figures behind the verdict (issue 3) are optional, so records of the first version still read.
  /** The measured value, in `unit` (the deciding group's, when judged per group). */
  value: z.number().nullable().optional(),
  /** The limit the value is held to, in `unit`. */
  limit: z.number().nullable().optional(),
  /** What value and limit measure: `ms`, `ratio`, `rate`, `count`, … */
  unit: z.string().optional(),
  /** Confidence interval for the value; absent when the value is exact (a count, a sign-off). */
  interval: intervalSchema.optional(),
  /** Samples, requests or items behind the value (target side), and the baseline's when compared. */
  n: figure.optional(),
  nBaseline: figure.optional(),
  /** The rule that decided, in words. */
  rule: z.string().optional(),
  /** When INCONCLUSIVE for lack of data: about how many samples per side would settle it. */
  samplesToSettle: figure.optional(),
  /** Judged per group (endpoint, service, …): each group's outcome. */
  groups: z.array(criterionGroupSchema).optional(),
  /** The waiver that applied (WAIVED), or that had expired. */
  waiver: z
    .object({
      owner: z.string(),
      reason: z.string(),
      expires: z.string(),
      expired: z.boolean(),
      file: z.string().optional(),
    })
    .optional(),
  /** What evidence is missing, when that is why it is INCONCLUSIVE. */
  missing: z.string().optional(),
  /**
   * When the newest evidence the criterion read was collected (a sign-off: its date), and how old
   * evidence may be for it (its `maxAge`): `cutover status` shows the evidence's age against the limit
   * as it stands today. Absent in records from before, and where the criterion read nothing.
   */
  evidenceAt: z.string().optional(),
  maxAgeMs: figure.optional(),
});

export type CriterionResult = z.output<typeof criterionResultSchema>;

export const gateResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  verdict: verdictSchema,
  /** The reasons that decided the verdict, blocking ones first. */
  summary: z.string(),
  criteria: z.array(criterionResultSchema),
  /** The migration phase (1–5) and wave the gate decides, for phase gates. */
  phase: figure.optional(),
  wave: z.string().optional(),
  /**
   * Whether the run is judged by this gate: its GO is needed for the run's GO. False for a gate that
   * needs suites or sign-offs the run was not meant to cover (`aside` says which); such a gate is shown,
   * and its failures still make the run NO-GO. A FAIL anywhere counts, whoever wrote the gate.
   */
  decides: z.boolean().optional(),
  /** Why the run is not judged by this gate, when it is not. */
  aside: z.string().optional(),
  /** The evidence the gate lacks, one line per criterion that is INCONCLUSIVE for want of it. */
  missing: z.array(z.string()).optional(),
});

export type GateResult = z.output<typeof gateResultSchema>;
