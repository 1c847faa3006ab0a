// The `data` of Prometheus' status endpoints as typed values (shared/reference/monitoring.md §1.3, §1.6):
// /api/v1/targets, /api/v1/alertmanagers, /api/v1/status/runtimeinfo, /api/v1/status/buildinfo,
// /api/v1/series and /api/v1/metadata. Objects are read loosely — newer versions add fields — but every
// field a check relies on must be there with its type. Pure.
import { z } from 'zod';
import { goTime } from './go-time.js';

const labels = z.record(z.string(), z.string());

const targetHealthSchema = z.enum(['up', 'down', 'unknown']);

/** `up`, `down`, or `unknown` until its first scrape: only `up` is up. */
export type TargetHealth = z.output<typeof targetHealthSchema>;

const activeTarget = z
  .object({
    discoveredLabels: labels,
    labels,
    scrapePool: z.string(),
    scrapeUrl: z.string(),
    globalUrl: z.string().optional(),
    lastError: z.string(),
    lastScrape: goTime,
    lastScrapeDuration: z.number(),
    health: targetHealthSchema,
    scrapeInterval: z.string().optional(),
    scrapeTimeout: z.string().optional(),
  })
  .loose()
  .transform((t) => ({
    labels: t.labels,
    discoveredLabels: t.discoveredLabels,
    scrapePool: t.scrapePool,
    scrapeUrl: t.scrapeUrl,
    health: t.health,
    /** "" when the last scrape worked. */
    lastError: t.lastError,
    /** Undefined until the first scrape. */
    lastScrapeMs: t.lastScrape,
    lastScrapeDurationS: t.lastScrapeDuration,
    scrapeInterval: t.scrapeInterval,
  }));

export type ActiveTarget = z.output<typeof activeTarget>;

export const targetsSchema = z
  .object({
    // Both lists are always present in an answer; `null` appears from some compatible servers.
    activeTargets: z.array(activeTarget).nullish(),
    droppedTargets: z.array(z.object({ discoveredLabels: labels }).loose()).nullish(),
  })
  .transform((d) => ({
    active: d.activeTargets ?? [],
    dropped: (d.droppedTargets ?? []).map((t) => ({ discoveredLabels: t.discoveredLabels })),
  }));

export type Targets = z.output<typeof targetsSchema>;

const amList = z
  .array(z.object({ url: z.string() }).loose())
  .nullish()
  .transform((l) => (l ?? []).map((a) => a.url));

export const alertmanagersSchema = z
  .object({ activeAlertmanagers: amList, droppedAlertmanagers: amList })
  .transform((d) => ({ active: d.activeAlertmanagers, dropped: d.droppedAlertmanagers }));

export type Alertmanagers = z.output<typeof alertmanagersSchema>;

export const runtimeInfoSchema = z
  .object({
    startTime: goTime,
    reloadConfigSuccess: z.boolean(),
    lastConfigTime: goTime,
    storageRetention: z.string().optional(),
  })
  .loose()
  .transform((r) => ({
    startTimeMs: r.startTime,
    /** Whether the last configuration (re)load worked: false after a bad reload, with the old config kept. */
    reloadConfigSuccess: r.reloadConfigSuccess,
    lastConfigTimeMs: r.lastConfigTime,
    storageRetention: r.storageRetention,
  }));

export type RuntimeInfo = z.output<typeof runtimeInfoSchema>;

export const buildInfoSchema = z
  .object({
    version: z.string(),
    revision: z.string(),
    branch: z.string(),
    buildUser: z.string().optional(),
    buildDate: z.string().optional(),
    goVersion: z.string().optional(),
  })
  .loose();

export type BuildInfo = z.output<typeof buildInfoSchema>;

export const seriesSchema = z
  .array(labels)
  .nullish()
  .transform((s) => s ?? []);

export const metadataSchema = z.record(
  z.string(),
  z.array(z.object({ type: z.string(), help: z.string(), unit: z.string().optional() }).loose()),
);

export type MetricMetadata = z.output<typeof metadataSchema>;
