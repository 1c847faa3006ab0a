// The `data` of Prometheus' /api/v1/rules and /api/v1/alerts as typed values
// (shared/reference/monitoring.md §1.4, §1.5). A rule's `health` is `ok`, `err` (its `lastError` says
// why) or `unknown` until its first evaluation; a rule whose expression selects no series is `ok` with no
// error forever, which only running its query tells apart. Pure.
import { z } from 'zod';
import { goTime } from './go-time.js';
import { parseSampleValue } from './sample-value.js';

const labels = z.record(z.string(), z.string());
const optionalLabels = labels.nullish().transform((l) => l ?? {});

export const promAlertSchema = z
  .object({
    labels,
    annotations: optionalLabels,
    state: z.string(),
    activeAt: goTime.optional(),
    value: z.string(),
  })
  .loose()
  .transform((a) => ({
    labels: a.labels,
    annotations: a.annotations,
    /** `pending` (its `for` not yet over) or `firing`. */
    state: a.state,
    activeAtMs: a.activeAt,
    /** The value of the expression when it last fired, read like a sample ("1e+00" → 1). */
    value: parseSampleValue(a.value),
  }));

export type PromAlert = z.output<typeof promAlertSchema>;

const ruleHealthSchema = z.enum(['ok', 'err', 'unknown']);

/** `ok`, `err` (its `lastError` says why) or `unknown` until its first evaluation. */
export type RuleHealth = z.output<typeof ruleHealthSchema>;

const common = {
  name: z.string(),
  query: z.string(),
  labels: optionalLabels,
  health: ruleHealthSchema,
  lastError: z.string().optional(),
  evaluationTime: z.number().optional(),
  lastEvaluation: goTime.optional(),
};

const alertingRule = z
  .object({
    ...common,
    type: z.literal('alerting'),
    state: z.string(),
    duration: z.number(),
    keepFiringFor: z.number().optional(),
    annotations: optionalLabels,
    alerts: z.array(promAlertSchema).nullish(),
  })
  .loose();

const recordingRule = z.object({ ...common, type: z.literal('recording') }).loose();

const rule = z.discriminatedUnion('type', [alertingRule, recordingRule]).transform((r) => ({
  type: r.type,
  name: r.name,
  query: r.query,
  labels: r.labels,
  health: r.health,
  /** Set only when the last evaluation failed; Prometheus leaves the field out otherwise. */
  lastError: r.lastError || undefined,
  evaluationTimeS: r.evaluationTime,
  lastEvaluationMs: r.lastEvaluation,
  ...(r.type === 'alerting'
    ? {
        /** `inactive`, `pending` or `firing`. */
        state: r.state,
        forS: r.duration,
        annotations: r.annotations,
        alerts: r.alerts ?? [],
      }
    : {}),
}));

export type Rule = z.output<typeof rule>;

const group = z
  .object({
    name: z.string(),
    file: z.string(),
    rules: z.array(rule),
    interval: z.number(),
    limit: z.number().optional(),
    evaluationTime: z.number().optional(),
    lastEvaluation: goTime.optional(),
  })
  .loose()
  .transform((g) => ({
    name: g.name,
    file: g.file,
    rules: g.rules,
    intervalS: g.interval,
    evaluationTimeS: g.evaluationTime,
    /** Undefined until the group's first evaluation. */
    lastEvaluationMs: g.lastEvaluation,
  }));

export type RuleGroup = z.output<typeof group>;

export const rulesSchema = z.object({ groups: z.array(group).nullish() }).transform((d) => d.groups ?? []);

export const alertsSchema = z
  .object({ alerts: z.array(promAlertSchema).nullish() })
  .transform((d) => d.alerts ?? []);
