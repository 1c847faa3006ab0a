// A client for Grafana's HTTP API (core/monitoring/grafana.ts has the shapes and their sources): health,
// datasources and each one's health check, dashboard search and a dashboard by uid. Reading datasources
// and dashboards needs a service-account token (bearer) or a user (basic) with viewer rights at least;
// /api/health needs none.

import type { z } from 'zod';
import {
  type ApiFailure,
  type ApiOutcome,
  excerpt,
  isSuccess,
  malformed,
  parseJson,
  type RawAnswer,
  readShape,
} from '../../core/monitoring/api-outcome.js';
import {
  type Dashboard,
  type Datasource,
  type DatasourceHealth,
  dashboardSchema,
  datasourceHealthSchema,
  datasourcesSchema,
  type GrafanaHealth,
  grafanaErrorWords,
  grafanaHealthSchema,
  type SearchHit,
  searchSchema,
} from '../../core/monitoring/grafana.js';
import {
  type ApiCall,
  ApiClient,
  type ApiContext,
  type ApiEndpoint,
  type Interpreted,
} from '../http/api-client.js';

/** Grafana's page size limit for /api/search. */
const SEARCH_PAGE = 5000;
/** Pages read at most: 100 000 dashboards is past any platform this is for. */
const MAX_PAGES = 20;

export class GrafanaClient {
  readonly #api: ApiClient;

  constructor(endpoint: ApiEndpoint, context: ApiContext) {
    this.#api = new ApiClient('Grafana', endpoint, context);
  }

  get name(): string {
    return this.#api.name;
  }

  /** `/api/health`: 200 with `database: "ok"`; 503 with `database: "failing"` is a not-ready failure. */
  health(): Promise<ApiOutcome<GrafanaHealth>> {
    return this.#api.request({ method: 'GET', path: '/api/health' }, (a) => {
      const json = parseJson(a.text);
      if (a.status === 503 && json.ok) {
        const database = (json.value as { database?: unknown } | null)?.database;
        return {
          ok: false,
          failure: {
            kind: 'not-ready',
            status: 503,
            detail: excerpt(a.text, 200),
            message: `${this.name} reports its database ${typeof database === 'string' ? `"${database}"` : 'failing'} (503)`,
          },
        };
      }
      return this.#read(a, grafanaHealthSchema);
    });
  }

  /** Every datasource of the organisation the credentials belong to. */
  datasources(): Promise<ApiOutcome<Datasource[]>> {
    return this.#json({ method: 'GET', path: '/api/datasources' }, datasourcesSchema);
  }

  /**
   * A datasource's own health check (Grafana 9+). A failing datasource is a value with `healthy: false`
   * and Grafana's message (the API answers it 400); a plugin without a health check is a failure.
   */
  datasourceHealth(uid: string): Promise<ApiOutcome<DatasourceHealth>> {
    const path = `/api/datasources/uid/${encodeURIComponent(uid)}/health`;
    return this.#api.request({ method: 'GET', path }, (a) => {
      if (a.status === 400) {
        const json = parseJson(a.text);
        const read = json.ok ? datasourceHealthSchema.safeParse(json.value) : undefined;
        if (read?.success) return { ok: true, value: read.data };
      }
      return this.#read(a, datasourceHealthSchema);
    });
  }

  /** Dashboards (not folders), optionally by title text or tags, every page of them. */
  async searchDashboards(
    options: { query?: string; tags?: readonly string[] } = {},
  ): Promise<ApiOutcome<SearchHit[]>> {
    const hits: SearchHit[] = [];
    let elapsedMs = 0;
    for (let page = 1; page <= MAX_PAGES; page++) {
      const params: Array<[string, string]> = [
        ['type', 'dash-db'],
        ['limit', String(SEARCH_PAGE)],
        ['page', String(page)],
      ];
      if (options.query) params.push(['query', options.query]);
      for (const tag of options.tags ?? []) params.push(['tag', tag]);
      const outcome = await this.#json({ method: 'GET', path: '/api/search', params }, searchSchema);
      elapsedMs += outcome.elapsedMs;
      if (!outcome.ok) return { ...outcome, elapsedMs };
      hits.push(...outcome.value.filter((h) => h.type === 'dash-db'));
      if (outcome.value.length < SEARCH_PAGE) break;
    }
    return { ok: true, value: hits, warnings: [], infos: [], elapsedMs };
  }

  /** A dashboard's JSON model and its panels (rows' panels included). */
  dashboard(uid: string): Promise<ApiOutcome<Dashboard>> {
    return this.#json(
      { method: 'GET', path: `/api/dashboards/uid/${encodeURIComponent(uid)}` },
      dashboardSchema,
    );
  }

  #json<S extends z.ZodType>(call: ApiCall, schema: S): Promise<ApiOutcome<z.output<S>>> {
    return this.#api.request(call, (a) => this.#read(a, schema));
  }

  #read<S extends z.ZodType>(answer: RawAnswer, schema: S): Interpreted<z.output<S>> {
    if (!isSuccess(answer.status)) return { ok: false, failure: this.#error(answer) };
    const json = parseJson(answer.text);
    if (!json.ok)
      return {
        ok: false,
        failure: malformed(
          this.name,
          answer.status,
          `a body that is not JSON: ${excerpt(answer.text, 200) || '(empty)'}`,
        ),
      };
    return readShape(schema, json.value, this.name, answer.status);
  }

  #error(answer: RawAnswer): ApiFailure {
    const detail = grafanaErrorWords(answer);
    const hint =
      answer.status === 401 || answer.status === 403
        ? ' (reading datasources and dashboards needs a service-account token or a user with viewer rights)'
        : '';
    const kind = parseJson(answer.text).ok ? 'api-error' : 'http-status';
    if (answer.status === 503 && kind === 'http-status')
      return {
        kind: 'not-ready',
        status: 503,
        detail,
        message: `${this.name} is not ready (503: ${detail})`,
      };
    return {
      kind,
      status: answer.status,
      detail,
      message: `${this.name} answered ${answer.status}: ${detail}${hint}`,
    };
  }
}
