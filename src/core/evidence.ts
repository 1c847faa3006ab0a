// Evidence beyond smoke checks, in one model for every source (the embedded load engine, k6, the
// k6-operator, integration parity, Kubernetes and security checks), so one gate can mix them.
// Every item says when it was collected: a gate can refuse evidence that is too old. As in model.ts,
// each type is inferred from its zod schema, which is how a run record reads it back.
import { z } from 'zod';
import { figure } from './figure.js';

/** When an item was collected: an ISO time. */
const isoTime = z.string();

export const metricEvidenceSchema = z.object({
  kind: z.literal('metric'),
  suite: z.string(),
  environment: z.string(),
  /** k6's names where they exist: http_req_duration, http_req_failed, http_reqs, iterations, dropped_iterations, checks. */
  name: z.string(),
  type: z.enum(['trend', 'rate', 'counter', 'gauge']),
  /** Such as service, endpoint, scenario, method, status_class, engine. */
  tags: z.record(z.string(), z.string()),
  at: isoTime,
  /** trend: HdrHistogram, compressed base64, values in microseconds (see core/histogram.ts). */
  histogram: z.string().optional(),
  /** rate: k6 semantics, rate = passes / (passes + fails). */
  passes: figure.optional(),
  fails: figure.optional(),
  /** counter */
  count: figure.optional(),
  /** gauge */
  value: figure.optional(),
});

/** A k6-style metric series in one environment: trend (latency), rate, counter or gauge, with tags. */
export type MetricEvidence = z.output<typeof metricEvidenceSchema>;

export const differenceKindSchema = z.enum([
  'value',
  'type',
  'missing',
  'extra',
  'length',
  'order',
  'status',
  'header',
]);
export type DifferenceKind = z.output<typeof differenceKindSchema>;

export const parityDifferenceSchema = z.object({
  path: z.string(),
  kind: differenceKindSchema,
  /**
   * Each side's value at the path; absent (or undefined) where that side has none — the target's of a
   * `missing` difference, the baseline's of an `extra` one. Optional because JSON drops an undefined
   * value: a record read back has no key there, and must still read (zod 4 requires a z.unknown() key
   * unless it is marked optional).
   */
  baseline: z.unknown().optional(),
  target: z.unknown().optional(),
});

export type ParityDifference = z.output<typeof parityDifferenceSchema>;

export const parityEvidenceSchema = z.object({
  kind: z.literal('parity'),
  suite: z.string(),
  /** The target environment compared. */
  environment: z.string(),
  baseline: z.string(),
  scenario: z.string(),
  step: z.string(),
  /** Method and path template, such as `POST /api/bookings`. */
  endpoint: z.string(),
  service: z.string().optional(),
  /** Pairs of responses compared, and how many matched after noise and ignore rules. */
  compared: figure,
  equal: figure,
  differences: z.array(parityDifferenceSchema),
  /**
   * Paths found noisy (differing between the baseline's answers, clock readings, or noise a recorded
   * baseline carried), not held against the target by value; `[*]` stands for any element.
   */
  noise: z.array(z.string()),
  /**
   * Why the step was not compared (`compared: 0`), as the rest of "step 'X' of scenario 'Y' …":
   * `was not sent on target: needs {{bookingId}}, …`. Such a step is missing evidence.
   */
  reason: z.string().optional(),
  /** The part of `noise` a recorded baseline keeps (`cutover baseline record`): value and order noise. */
  learnedNoise: z.array(z.string()).optional(),
  at: isoTime,
});

/** Functional parity of one scenario step between baseline and target (integration suites). */
export type ParityEvidence = z.output<typeof parityEvidenceSchema>;

export const severitySchema = z.enum(['critical', 'high', 'medium', 'low', 'info']);
export type Severity = z.output<typeof severitySchema>;

export const findingEvidenceSchema = z.object({
  kind: z.literal('finding'),
  suite: z.string(),
  environment: z.string(),
  /** posture, kube-bench, readiness, inventory, http-security, … */
  source: z.string(),
  check: z.string(),
  severity: severitySchema,
  /** `Deployment/sevensa-apps/rentguy-api`, `Namespace/sevensa-apps`, `kube-bench 4.2.1`. */
  object: z.string(),
  /** Field path inside the object, such as `spec.template.spec.containers[0].securityContext.privileged`. */
  path: z.string(),
  message: z.string(),
  remedy: z.string(),
  at: isoTime,
});

/** A security or Kubernetes finding: what is wrong, where, and how to fix it. */
export type FindingEvidence = z.output<typeof findingEvidenceSchema>;

export const coverageEvidenceSchema = z.object({
  kind: z.literal('coverage'),
  suite: z.string(),
  environment: z.string(),
  /** The part of the suite, such as `posture` or `kube-bench:node`. */
  scope: z.string(),
  status: z.enum(['complete', 'partial', 'could-not-check']),
  reason: z.string(),
  /** Counts a gate may read, such as checks run, passed, failed. */
  counts: z.record(z.string(), figure).optional(),
  /**
   * The one service this coverage is about (the integration suite's steps of a service): it keeps
   * criteria on that service, its wave, tier or phase from passing, and leaves other services' alone.
   */
  service: z.string().optional(),
  at: isoTime,
});

/**
 * Whether a suite could do its work in an environment. A suite that could not reach its system (API
 * server down, permission missing) records `could-not-check`: its silence is then not read as a pass.
 */
export type CoverageEvidence = z.output<typeof coverageEvidenceSchema>;

export const evidenceSchema = z.discriminatedUnion('kind', [
  metricEvidenceSchema,
  parityEvidenceSchema,
  findingEvidenceSchema,
  coverageEvidenceSchema,
]);

export type Evidence = z.output<typeof evidenceSchema>;
