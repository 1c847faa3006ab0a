// A client for Alertmanager's v2 API (0.22+; shared/reference/monitoring.md §4): readiness, status
// (cluster, version, loaded config), alerts in (POST) and out (GET with matchers and state filters), and
// receivers. v1 is not used: 0.27 answers it 410. Errors keep Alertmanager's words whichever of its
// formats they come in (core/monitoring/alertmanager.ts).

import type { z } from 'zod';
import {
  type AmStatus,
  alertmanagerErrorWords,
  amStatusSchema,
  type GettableAlert,
  gettableAlertsSchema,
  matchersFor,
  receiversSchema,
} from '../../core/monitoring/alertmanager.js';
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
import type { Labels } from '../../core/monitoring/sample-value.js';
import { ApiClient, type ApiContext, type ApiEndpoint, type Interpreted } from '../http/api-client.js';

/** An alert as a client posts it; `labels` identify it (at least one pair). */
export interface PostableAlert {
  labels: Labels;
  annotations?: Labels;
  /** ms since the epoch; Alertmanager takes "now" when left out. */
  startsAtMs?: number;
  /** ms since the epoch; left out, the alert resolves after resolve_timeout unless re-sent. Now resolves it. */
  endsAtMs?: number;
  generatorURL?: string;
}

export interface AlertFilter {
  /** Equality matchers: every alert returned carries these labels. */
  labels?: Labels;
  /** Raw matchers (`severity=~"crit|page"`), for what equality cannot say. */
  matchers?: readonly string[];
  /** A regular expression over receiver names. */
  receiver?: string;
  /** Which states to include; each defaults to true in Alertmanager. */
  active?: boolean;
  silenced?: boolean;
  inhibited?: boolean;
  unprocessed?: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

export class AlertmanagerClient {
  readonly #api: ApiClient;

  constructor(endpoint: ApiEndpoint, context: ApiContext) {
    this.#api = new ApiClient('Alertmanager', endpoint, context);
  }

  get name(): string {
    return this.#api.name;
  }

  /** `/-/ready`: 200 "OK" once the configuration is loaded (and, in a cluster, the gossip settled). */
  ready(): Promise<ApiOutcome<string>> {
    return this.#api.request({ method: 'GET', path: '/-/ready' }, (a) =>
      isSuccess(a.status)
        ? { ok: true, value: excerpt(a.text, 200) }
        : { ok: false, failure: this.#error(a) },
    );
  }

  /** Cluster status and peers, version, uptime and the loaded configuration. */
  status(): Promise<ApiOutcome<AmStatus>> {
    return this.#json({ method: 'GET', path: '/api/v2/status' }, amStatusSchema);
  }

  receivers(): Promise<ApiOutcome<string[]>> {
    return this.#json({ method: 'GET', path: '/api/v2/receivers' }, receiversSchema);
  }

  /** Alerts Alertmanager holds, narrowed by labels, matchers, receiver and state. */
  alerts(filter: AlertFilter = {}): Promise<ApiOutcome<GettableAlert[]>> {
    const equality = filter.labels ? matchersFor(filter.labels) : [];
    if (equality === undefined)
      return Promise.resolve(this.#setupFailure('a label name in the filter is not a valid label name'));
    const params: Array<[string, string]> = [...equality, ...(filter.matchers ?? [])].map((m) => [
      'filter',
      m,
    ]);
    if (filter.receiver !== undefined) params.push(['receiver', filter.receiver]);
    for (const key of ['active', 'silenced', 'inhibited', 'unprocessed'] as const)
      if (filter[key] !== undefined) params.push([key, String(filter[key])]);
    return this.#json({ method: 'GET', path: '/api/v2/alerts', params }, gettableAlertsSchema);
  }

  /** Posts alerts; 200 with an empty body is success. */
  postAlerts(alerts: readonly PostableAlert[]): Promise<ApiOutcome<void>> {
    const json = alerts.map((a) => ({
      labels: a.labels,
      ...(a.annotations ? { annotations: a.annotations } : {}),
      ...(a.startsAtMs !== undefined ? { startsAt: iso(a.startsAtMs) } : {}),
      ...(a.endsAtMs !== undefined ? { endsAt: iso(a.endsAtMs) } : {}),
      ...(a.generatorURL ? { generatorURL: a.generatorURL } : {}),
    }));
    return this.#api.request({ method: 'POST', path: '/api/v2/alerts', json }, (a) =>
      isSuccess(a.status) ? { ok: true, value: undefined } : { ok: false, failure: this.#error(a) },
    );
  }

  /** Resolves alerts by re-posting their labels with `endsAt` = now (with send_resolved, receivers hear it). */
  resolveAlerts(alerts: readonly PostableAlert[], nowMs: number = Date.now()): Promise<ApiOutcome<void>> {
    return this.postAlerts(alerts.map((a) => ({ ...a, endsAtMs: nowMs })));
  }

  #json<S extends z.ZodType>(
    call: Parameters<ApiClient['request']>[0],
    schema: S,
  ): Promise<ApiOutcome<z.output<S>>> {
    return this.#api.request(call, (a): Interpreted<z.output<S>> => {
      if (!isSuccess(a.status)) return { ok: false, failure: this.#error(a) };
      const json = parseJson(a.text);
      if (!json.ok)
        return {
          ok: false,
          failure: malformed(this.name, a.status, `a body that is not JSON: ${excerpt(a.text, 200)}`),
        };
      return readShape(schema, json.value, this.name, a.status);
    });
  }

  /** An error answer in Alertmanager's words; 503 is "not ready" as everywhere. */
  #error(answer: RawAnswer): ApiFailure {
    const detail = alertmanagerErrorWords(answer);
    if (answer.status === 503)
      return {
        kind: 'not-ready',
        status: 503,
        detail,
        message: `${this.name} is not ready (503: ${detail})`,
      };
    const explained = answer.status === 400 || answer.status === 422 || parseJson(answer.text).ok;
    return explained
      ? {
          kind: 'api-error',
          status: answer.status,
          detail,
          message: `${this.name} answered ${answer.status}: ${detail}`,
        }
      : {
          kind: 'http-status',
          status: answer.status,
          detail,
          message: `${this.name} answered ${answer.status}: ${detail}`,
        };
  }

  #setupFailure(message: string): ApiOutcome<never> {
    return { ok: false, failure: { kind: 'setup', message: `${this.name}: ${message}` }, elapsedMs: 0 };
  }
}
