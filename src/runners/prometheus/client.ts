// A client for Prometheus' HTTP API (v2.x; shared/reference/monitoring.md §1): readiness, runtime and
// build info, targets, rules, alerts, the Alertmanagers it sends to, instant and range queries, series
// and metadata, and the bucket layout of a histogram. Every method answers an ApiOutcome: a typed value
// with the answer's `warnings` and `infos` carried along, or a failure that keeps Prometheus' own words —
// 503 "not ready" while it starts, bad_data (400), execution (422), timeout (503), an unreachable server,
// a body that is not its JSON. Nothing here judges; the monitoring suite and `cutover watch` do.

import type { z } from 'zod';
import type { ApiOutcome, RawAnswer } from '../../core/monitoring/api-outcome.js';
import { excerpt, isSuccess, readShape, statusFailure } from '../../core/monitoring/api-outcome.js';
import { type BucketLayout, bucketLayouts } from '../../core/monitoring/bucket-layout.js';
import { readEnvelope } from '../../core/monitoring/envelope.js';
import {
  alertsSchema,
  type PromAlert,
  type RuleGroup,
  rulesSchema,
} from '../../core/monitoring/prometheus-rules.js';
import {
  type Alertmanagers,
  alertmanagersSchema,
  type BuildInfo,
  buildInfoSchema,
  type MetricMetadata,
  metadataSchema,
  type RuntimeInfo,
  runtimeInfoSchema,
  seriesSchema,
  type Targets,
  targetsSchema,
} from '../../core/monitoring/prometheus-status.js';
import { type QueryResult, queryDataSchema } from '../../core/monitoring/query-result.js';
import type { Labels } from '../../core/monitoring/sample-value.js';
import {
  type ApiCall,
  ApiClient,
  type ApiContext,
  type ApiEndpoint,
  type Interpreted,
} from '../http/api-client.js';

/**
 * Queries whose URL would be longer than this are sent as a POST form (which Prometheus accepts on
 * /query, /query_range and /series), so a long generated query is not cut by a proxy's URL limit; short
 * ones stay GETs, which read-only proxies in front of Prometheus allow.
 */
export const MAX_GET_URL_CHARS = 2048;

/** Extra time the HTTP deadline allows beyond a query's own `timeout`, so Prometheus' timeout answer arrives. */
const QUERY_DEADLINE_SLACK_MS = 2000;

export interface QueryOptions {
  /** Evaluation time in ms since the epoch; Prometheus' own clock when left out. */
  timeMs?: number;
  /** Prometheus' `timeout` parameter (capped by its --query.timeout), in ms. */
  timeoutMs?: number;
}

export interface RangeQueryOptions {
  startMs: number;
  endMs: number;
  stepSeconds: number;
  timeoutMs?: number;
}

/** Seconds since the epoch with ms precision, as Prometheus reads `time`, `start` and `end`. */
const seconds = (ms: number) => (ms / 1000).toFixed(3);

export class PrometheusClient {
  readonly #api: ApiClient;
  readonly #timeoutMs: number;
  readonly #baseLength: number;

  constructor(endpoint: ApiEndpoint, context: ApiContext) {
    this.#api = new ApiClient('Prometheus', endpoint, context);
    this.#timeoutMs = endpoint.timeoutMs ?? 10_000;
    this.#baseLength = endpoint.url.length;
  }

  get name(): string {
    return this.#api.name;
  }

  /** `/-/ready`: 200 once the TSDB and config are loaded, 503 "Service Unavailable" before. */
  ready(): Promise<ApiOutcome<string>> {
    return this.#api.request({ method: 'GET', path: '/-/ready' }, (a) => this.#plain(a));
  }

  /** `/-/healthy`: 200 whenever the process serves HTTP at all. */
  healthy(): Promise<ApiOutcome<string>> {
    return this.#api.request({ method: 'GET', path: '/-/healthy' }, (a) => this.#plain(a));
  }

  /** Whether the last configuration (re)load worked, and when the configuration was loaded. */
  runtimeInfo(): Promise<ApiOutcome<RuntimeInfo>> {
    return this.#get('/api/v1/status/runtimeinfo', [], runtimeInfoSchema);
  }

  buildInfo(): Promise<ApiOutcome<BuildInfo>> {
    return this.#get('/api/v1/status/buildinfo', [], buildInfoSchema);
  }

  /** Scrape targets: active ones with health, lastError and labels; dropped ones with their discovered labels. */
  targets(
    options: { state?: 'active' | 'dropped' | 'any'; scrapePool?: string } = {},
  ): Promise<ApiOutcome<Targets>> {
    const params: Array<[string, string]> = [];
    if (options.state) params.push(['state', options.state]);
    if (options.scrapePool) params.push(['scrapePool', options.scrapePool]);
    return this.#get('/api/v1/targets', params, targetsSchema);
  }

  /** Rule groups with each rule's health, lastError, evaluation time and query; `type` narrows to one kind. */
  rules(options: { type?: 'alert' | 'record' } = {}): Promise<ApiOutcome<RuleGroup[]>> {
    return this.#get('/api/v1/rules', options.type ? [['type', options.type]] : [], rulesSchema);
  }

  /** Alerts pending or firing in Prometheus itself (before Alertmanager). */
  alerts(): Promise<ApiOutcome<PromAlert[]>> {
    return this.#get('/api/v1/alerts', [], alertsSchema);
  }

  /** The Alertmanagers Prometheus discovered (their /api/v2/alerts URLs), active and dropped. */
  alertmanagers(): Promise<ApiOutcome<Alertmanagers>> {
    return this.#get('/api/v1/alertmanagers', [], alertmanagersSchema);
  }

  /** An instant query. The result's values keep NaN and ±Infinity (core/monitoring/reading.ts reads them). */
  query(expr: string, options: QueryOptions = {}): Promise<ApiOutcome<QueryResult>> {
    const params: Array<[string, string]> = [['query', expr]];
    if (options.timeMs !== undefined) params.push(['time', seconds(options.timeMs)]);
    return this.#query('/api/v1/query', params, options.timeoutMs);
  }

  /** A range query: `start` and `end` inclusive, one point per `step`. */
  queryRange(expr: string, options: RangeQueryOptions): Promise<ApiOutcome<QueryResult>> {
    const params: Array<[string, string]> = [
      ['query', expr],
      ['start', seconds(options.startMs)],
      ['end', seconds(options.endMs)],
      ['step', String(options.stepSeconds)],
    ];
    return this.#query('/api/v1/query_range', params, options.timeoutMs);
  }

  /** The label sets of the series matching any of the selectors, within the time range when one is given. */
  series(
    selectors: readonly string[],
    range: { startMs?: number; endMs?: number } = {},
  ): Promise<ApiOutcome<Labels[]>> {
    const params: Array<[string, string]> = selectors.map((s) => ['match[]', s]);
    if (range.startMs !== undefined) params.push(['start', seconds(range.startMs)]);
    if (range.endMs !== undefined) params.push(['end', seconds(range.endMs)]);
    return this.#api.request(this.#maybePost('/api/v1/series', params), (a) => this.#data(a, seriesSchema));
  }

  /** Type, help and unit of a metric (or of every metric when none is named), as its targets declared them. */
  metadata(metric?: string): Promise<ApiOutcome<MetricMetadata>> {
    return this.#get('/api/v1/metadata', metric ? [['metric', metric]] : [], metadataSchema);
  }

  /**
   * The bucket layouts of a histogram: the `le` values of its `_bucket` series, per series. `matchers` is
   * the inside of a selector (`job="api", code=~"2.."`). One layout is comparable; several are not.
   */
  async bucketLayouts(
    histogram: string,
    options: { matchers?: string; startMs?: number; endMs?: number } = {},
  ): Promise<ApiOutcome<BucketLayout[]>> {
    const name = histogram.endsWith('_bucket') ? histogram : `${histogram}_bucket`;
    const selector = `${name}{${options.matchers ?? ''}}`;
    const series = await this.series([selector], options);
    return series.ok ? { ...series, value: bucketLayouts(series.value) } : series;
  }

  #query(
    path: string,
    params: Array<[string, string]>,
    timeoutMs: number | undefined,
  ): Promise<ApiOutcome<QueryResult>> {
    if (timeoutMs !== undefined) params.push(['timeout', `${Math.max(1, Math.round(timeoutMs))}ms`]);
    const call = this.#maybePost(path, params);
    if (timeoutMs !== undefined)
      call.timeoutMs = Math.max(this.#timeoutMs, timeoutMs + QUERY_DEADLINE_SLACK_MS);
    return this.#api.request(call, (a) => this.#data(a, queryDataSchema));
  }

  #maybePost(path: string, params: Array<[string, string]>): ApiCall {
    const length = this.#baseLength + path.length + 1 + new URLSearchParams(params).toString().length;
    return length > MAX_GET_URL_CHARS
      ? { method: 'POST', path, params, form: true }
      : { method: 'GET', path, params };
  }

  #get<S extends z.ZodType>(
    path: string,
    params: Array<[string, string]>,
    schema: S,
  ): Promise<ApiOutcome<z.output<S>>> {
    return this.#api.request({ method: 'GET', path, params }, (a) => this.#data(a, schema));
  }

  #data<S extends z.ZodType>(answer: RawAnswer, schema: S): Interpreted<z.output<S>> {
    const envelope = readEnvelope(this.name, answer);
    if (!envelope.ok) return envelope;
    const read = readShape(schema, envelope.data, this.name, answer.status, 'data');
    return read.ok
      ? { ok: true, value: read.value, warnings: envelope.warnings, infos: envelope.infos }
      : read;
  }

  #plain(answer: RawAnswer): Interpreted<string> {
    return isSuccess(answer.status)
      ? { ok: true, value: excerpt(answer.text, 200) }
      : { ok: false, failure: statusFailure(this.name, answer) };
  }
}
