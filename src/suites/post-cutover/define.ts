// `cutover watch`'s user-facing side: the config's `watch` section — how each service's traffic is read
// from Prometheus (query templates, built-in for prom-client's HTTP histograms and Traefik v2/v3, and
// which labels select a service), how often, against which criteria relative to the Compose baseline, and
// when to recommend rolling back (a failure limit of consecutive breaches, as Argo Rollouts' failureLimit).
// The criteria use the gates' one grammar (`http_req_duration: p(95) <= baseline * 1.10 + 10ms`), so a
// watch and a gate judge the same words the same way.
import { z } from 'zod';
import { httpUrl } from '../../config/http-url.js';
import { criterionContext, type MetricCriterion, parseMetric } from '../../core/gates/metric-expression.js';
import { parseDuration } from '../../core/load/profile.js';
import type { TrafficBaseline } from '../../core/monitoring/traffic-baseline.js';

const duration = (what: string) =>
  z.string().refine(
    (text) => {
      try {
        return parseDuration(text) > 0;
      } catch {
        return false;
      }
    },
    { message: `${what}: expected a duration such as 30s, 1m or 1h` },
  );

/**
 * One way of reading a service's traffic: three PromQL expressions with `$selector` (the service's label
 * matchers), `$window` (the evaluation's range, such as `60s`) and `$service` (its id) filled in.
 */
export const queryTemplateSchema = z.strictObject({
  /** Requests in the window, summed to one number: `sum(increase(…[$window]))`. */
  requests: z.string().min(1),
  /** Failed requests in the window, one number; 0 (not empty) when there are requests but no failures. */
  errors: z.string().min(1),
  /** Latency histogram buckets increased in the window, one series per `le`: `sum by (le) (increase(…_bucket[$window]))`. */
  buckets: z.string().min(1),
  /** The unit of the buckets' `le` label. @default "s" */
  leUnit: z.enum(['s', 'ms']).default('s'),
});

export type QueryTemplate = z.output<typeof queryTemplateSchema>;

const labelName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a Prometheus label name');

export const watchServiceSchema = z.strictObject({
  /** A built-in template (`prom-client`, `traefik`) or one of `watch.templates`. */
  template: z.string().min(1).optional(),
  /**
   * Label matchers selecting the service's series, as `label: value` (equality) or `label: "=~regex"`.
   * Default for prom-client: `job: <service id>`; for traefik: `service: "=~<service id>(@.*)?"`.
   */
  labels: z.record(labelName, z.string()).optional(),
  /** Leave this service out of the watch (a service without HTTP traffic of its own). */
  skip: z.boolean().optional(),
});

const criterionText = z.string().superRefine((text, ctx) => {
  const parsed = parseMetric(text, criterionContext());
  if (typeof parsed === 'string') {
    ctx.addIssue({ code: 'custom', message: parsed });
    return;
  }
  if (!parsed.relative)
    ctx.addIssue({
      code: 'custom',
      message: `"${text}": a watch compares with the baseline; write the limit as baseline * FACTOR + SLACK`,
    });
  else if (parsed.metric !== 'http_req_duration' && parsed.metric !== 'http_req_failed')
    ctx.addIssue({
      code: 'custom',
      message: `"${text}": a watch reads http_req_duration (p(N), med) and http_req_failed (rate)`,
    });
});

export const DEFAULT_WATCH_CRITERIA = [
  'http_req_duration: p(95) <= baseline * 1.10 + 10ms',
  'http_req_failed: rate <= baseline + 0.01',
];

export const watchSchema = z
  .strictObject({
    /** Time between evaluations; each reads the traffic of the last interval. @default "1m" */
    interval: duration('watch.interval').default('1m'),
    /** How long the watch runs. @default "24h" */
    for: duration('watch.for').default('24h'),
    /** Consecutive breaching evaluations of a service that recommend rollback (Argo's failureLimit). @default 3 */
    failureLimit: z.number().int().min(1).max(1000).default(3),
    /**
     * Without a recorded baseline: the Compose side's figures over this window before the watch started
     * (read once from the baseline environment's Prometheus). @default "1h"
     */
    baselineWindow: duration('watch.baselineWindow').default('1h'),
    /** Criteria relative to the baseline, in the gates' grammar (http_req_duration, http_req_failed). */
    criteria: z.array(criterionText).min(1).default(DEFAULT_WATCH_CRITERIA),
    /** "Fraction of requests under X": at least `atLeast` (0..1) of the requests faster than `bound`. */
    under: z
      .strictObject({
        bound: duration('watch.under.bound'),
        atLeast: z.number().gt(0).max(1),
      })
      .optional(),
    /** The template of services without their own. @default "prom-client" */
    template: z.string().min(1).default('prom-client'),
    /** Query templates of your own, by name, beside the built-in `prom-client` and `traefik`. */
    templates: z.record(z.string().min(1), queryTemplateSchema).default({}),
    /** Per service: template, label matchers, or skip. Services not named use the defaults. */
    services: z.record(z.string(), watchServiceSchema).default({}),
    /** Where a rollback recommendation is POSTed as JSON (in addition to being printed). */
    rollbackWebhook: httpUrl('watch.rollbackWebhook').optional(),
    /** Post the recommendation as an alert to the target's Alertmanager too. @default true */
    alertmanager: z.boolean().default(true),
    /** Where the watch serves its own /metrics: `host:port`; loopback unless an address is given. @default "127.0.0.1:9470" */
    metricsListen: z.string().min(1).default('127.0.0.1:9470'),
    /**
     * The DNS cutover check, once at the start of the watch: each public host (the target's services'
     * URL host names, or `hosts`) resolves to `targetAddresses` and none of `composeAddresses`, through
     * the system resolver and each of `servers` (`1.1.1.1`, `10.0.0.2:5353`).
     */
    dns: z
      .strictObject({
        targetAddresses: z.array(z.string().min(1)).min(1),
        composeAddresses: z.array(z.string().min(1)).default([]),
        hosts: z.array(z.string().min(1)).optional(),
        servers: z.array(z.string().min(1)).default([]),
      })
      .optional(),
    /** Each Prometheus query's own deadline in ms. @default 10000 */
    queryTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
  })
  .default({
    interval: '1m',
    for: '24h',
    failureLimit: 3,
    baselineWindow: '1h',
    criteria: DEFAULT_WATCH_CRITERIA,
    template: 'prom-client',
    templates: {},
    services: {},
    alertmanager: true,
    metricsListen: '127.0.0.1:9470',
    queryTimeoutMs: 10_000,
  });

export type WatchSettings = z.output<typeof watchSchema>;

/** What one evaluation found for one service, handed to a live view as it happens. */
export interface WatchServiceView {
  service: string;
  state: 'healthy' | 'breach' | 'inconclusive' | 'no-traffic' | 'no-data' | 'error' | 'incomparable';
  /** Requests per second in the window (target), when read. */
  rps?: number;
  /** Each criterion: its words, the target's and the baseline's figure, and how it came out. */
  criteria: Array<{
    label: string;
    status: 'PASS' | 'BREACH' | 'INCONCLUSIVE';
    target?: number;
    baseline?: number;
    unit: string;
    reason: string;
  }>;
  breaches: number;
  reason: string;
}

export interface WatchEvaluationView {
  index: number;
  at: string;
  services: WatchServiceView[];
  /** Queries sent in this evaluation and how long they took together. */
  queries: number;
  ms: number;
  rollback?: { service: string; reason: string };
}

/** What `cutover watch` (or the demo) hands the suite beyond the config; flags override `watch.*`. */
export interface WatchOptions {
  intervalMs?: number;
  forMs?: number;
  failureLimit?: number;
  /** A recorded baseline (`cutover baseline record --traffic`) whose Prometheus figures are the reference. */
  baselineName?: string;
  /** Its traffic figures by hour of the week (the caller reads the baseline file; the suite reads no files). */
  reference?: TrafficBaseline;
  metricsListen?: string | false;
  /** Called after every evaluation (the live view). */
  onEvaluation?: (view: WatchEvaluationView) => void;
  /** Called once the metrics endpoint listens. */
  onMetricsListening?: (url: string) => void;
  /**
   * Per environment, a Prometheus or Alertmanager URL that replaces the config's: the demo's real
   * servers, which the config (written for the simulator's stand-ins) does not name.
   */
  endpoints?: Record<string, { prometheus?: string; alertmanager?: string }>;
  /**
   * The demo's simulated users, so the watch sees production-like traffic and nothing else does:
   * `before` (awaited before the Compose reference is read) sends them to Compose as before the cutover;
   * `start`, just before the first window, moves them to the target; `stop` when the watch ends.
   */
  traffic?: { before?(): Promise<void>; start(): void; stop(): Promise<void> };
}

declare module '../suite.js' {
  interface SuiteOptions {
    watch?: WatchOptions;
  }
}

/** A criterion of `watch.criteria`, parsed (the schema has refused anything else). */
export function parseWatchCriterion(text: string): MetricCriterion {
  const parsed = parseMetric(text, criterionContext());
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}
