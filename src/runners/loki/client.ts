// A client for Loki's HTTP API (core/monitoring/loki.ts has the shapes and their sources): readiness,
// LogQL range queries and label names. Loki's errors are plain text (a parse error is a 400 with the
// parser's words), its readiness a plain-text 503 with the reason while an ingester warms up. A
// multi-tenant Loki needs the tenant in `X-Scope-OrgID` (the endpoint's `headers`).

import type { z } from 'zod';
import type { ApiOutcome, RawAnswer } from '../../core/monitoring/api-outcome.js';
import { excerpt, isSuccess, readShape, statusFailure } from '../../core/monitoring/api-outcome.js';
import { readEnvelope } from '../../core/monitoring/envelope.js';
import { type LokiQueryResult, lokiLabelsSchema, lokiQueryDataSchema } from '../../core/monitoring/loki.js';
import { ApiClient, type ApiContext, type ApiEndpoint, type Interpreted } from '../http/api-client.js';

export interface LogQueryOptions {
  /** ms since the epoch; Loki's default is an hour before `end`. */
  startMs?: number;
  /** ms since the epoch, exclusive; Loki's default is now. */
  endMs?: number;
  /** Entries returned at most (log queries). @default 100 (Loki's default) */
  limit?: number;
  /** `backward` (newest first, Loki's default) or `forward`. */
  direction?: 'backward' | 'forward';
  /** Resolution of a metric query, in seconds. */
  stepSeconds?: number;
}

/** Nanoseconds since the epoch, as Loki reads `start` and `end`. */
const nanos = (ms: number) => `${BigInt(Math.round(ms)) * 1_000_000n}`;

export class LokiClient {
  readonly #api: ApiClient;

  constructor(endpoint: ApiEndpoint, context: ApiContext) {
    this.#api = new ApiClient('Loki', endpoint, context);
  }

  get name(): string {
    return this.#api.name;
  }

  /** `/ready`: 200 "ready"; 503 with Loki's reason while it is not. */
  ready(): Promise<ApiOutcome<string>> {
    return this.#api.request({ method: 'GET', path: '/ready' }, (a) =>
      isSuccess(a.status)
        ? { ok: true, value: excerpt(a.text, 200) }
        : { ok: false, failure: statusFailure(this.name, a) },
    );
  }

  /** A LogQL query over a time range: log lines (`streams`) or, for a metric query, a matrix. */
  queryRange(logql: string, options: LogQueryOptions = {}): Promise<ApiOutcome<LokiQueryResult>> {
    const params: Array<[string, string]> = [['query', logql]];
    if (options.startMs !== undefined) params.push(['start', nanos(options.startMs)]);
    if (options.endMs !== undefined) params.push(['end', nanos(options.endMs)]);
    if (options.limit !== undefined) params.push(['limit', String(options.limit)]);
    if (options.direction) params.push(['direction', options.direction]);
    if (options.stepSeconds !== undefined) params.push(['step', String(options.stepSeconds)]);
    return this.#get('/loki/api/v1/query_range', params, lokiQueryDataSchema);
  }

  /** Label names known within the time range (Loki's default: the last 6 hours). */
  labels(options: { startMs?: number; endMs?: number } = {}): Promise<ApiOutcome<string[]>> {
    const params: Array<[string, string]> = [];
    if (options.startMs !== undefined) params.push(['start', nanos(options.startMs)]);
    if (options.endMs !== undefined) params.push(['end', nanos(options.endMs)]);
    return this.#get('/loki/api/v1/labels', params, lokiLabelsSchema);
  }

  #get<S extends z.ZodType>(
    path: string,
    params: Array<[string, string]>,
    schema: S,
  ): Promise<ApiOutcome<z.output<S>>> {
    return this.#api.request({ method: 'GET', path, params }, (a) => this.#data(a, schema));
  }

  #data<S extends z.ZodType>(answer: RawAnswer, schema: S): Interpreted<z.output<S>> {
    // Loki's errors are plain text (http.Error), not an envelope: those are Loki's own words. Anything
    // else on an error status (a proxy's HTML page) is a status the API does not explain.
    if (!isSuccess(answer.status) && !answer.text.trimStart().startsWith('{')) {
      if (answer.status === 503 || answer.mediaType !== 'text/plain')
        return { ok: false, failure: statusFailure(this.name, answer) };
      const detail = excerpt(answer.text);
      return {
        ok: false,
        failure: {
          kind: 'api-error',
          status: answer.status,
          detail,
          message: `${this.name} answered ${answer.status}: ${detail}`,
        },
      };
    }
    const envelope = readEnvelope(this.name, answer);
    if (!envelope.ok) return envelope;
    const read = readShape(schema, envelope.data, this.name, answer.status, 'data');
    return read.ok
      ? { ok: true, value: read.value, warnings: envelope.warnings, infos: envelope.infos }
      : read;
  }
}
