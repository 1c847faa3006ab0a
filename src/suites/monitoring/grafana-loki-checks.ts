// The Grafana and Loki halves of the monitoring suite for one environment. Grafana: healthy (its database
// ok) and every datasource answering its own health check, the failing ones named. Loki: ready, and a
// recent log line of every service found by the configured LogQL query — the shipping pipeline works,
// whatever ships it.
import pLimit from 'p-limit';
import type { SearchHit } from '../../core/monitoring/grafana.js';
import { GrafanaClient } from '../../runners/grafana/client.js';
import type { ApiContext, ApiEndpoint } from '../../runners/http/api-client.js';
import { LokiClient } from '../../runners/loki/client.js';
import { type CheckDraft, couldNotCheck, nameSome } from './evidence.js';
import { LOGS_CHECK } from './plan.js';

const CONCURRENCY = 4;

/** What parity needs of this Grafana, when it answered. */
export interface GrafanaFacts {
  dashboards?: SearchHit[];
  dashboardsFailure?: string;
}

export async function checkGrafana(
  endpoint: ApiEndpoint,
  api: ApiContext,
  wantDashboards: boolean,
  emit: (check: CheckDraft) => void,
): Promise<GrafanaFacts> {
  const grafana = new GrafanaClient(endpoint, api);
  const health = await grafana.health();
  if (!health.ok) {
    emit(couldNotCheck('grafana', 'grafana-health', health.failure));
    emit(couldNotCheck('grafana', 'grafana-datasources', health.failure));
    return { dashboardsFailure: health.failure.message };
  }
  emit(
    health.value.database === 'ok'
      ? {
          service: 'grafana',
          check: 'grafana-health',
          status: 'pass',
          reason: `database ok${health.value.version ? `, version ${health.value.version}` : ''}`,
        }
      : {
          service: 'grafana',
          check: 'grafana-health',
          status: 'fail',
          reason: `database "${health.value.database}"`,
        },
  );
  const list = await grafana.datasources();
  if (!list.ok) emit(couldNotCheck('grafana', 'grafana-datasources', list.failure));
  else if (list.value.length === 0)
    emit({
      service: 'grafana',
      check: 'grafana-datasources',
      status: 'fail',
      reason: 'Grafana has no datasource',
    });
  else {
    const limit = pLimit(CONCURRENCY);
    const results = await Promise.all(
      list.value.map((ds) => limit(async () => ({ ds, health: await grafana.datasourceHealth(ds.uid) }))),
    );
    const failing = results.filter((r) => r.health.ok && !r.health.value.healthy);
    const unknown = results.filter((r) => !r.health.ok);
    const data = { datasources: results.length, failing: failing.length, unchecked: unknown.length };
    if (failing.length)
      emit({
        service: 'grafana',
        check: 'grafana-datasources',
        status: 'fail',
        reason: `${failing.length} of ${results.length} datasources fail their health check: ${nameSome(
          failing.map((r) => `${r.ds.name} (${r.ds.type}): ${r.health.ok ? r.health.value.message : ''}`),
          'datasources',
        )}`,
        data,
      });
    else if (unknown.length)
      emit({
        ...couldNotCheck(
          'grafana',
          'grafana-datasources',
          nameSome(
            unknown.map((r) => `${r.ds.name}: ${r.health.ok ? '' : r.health.failure.message}`),
            'datasources',
            2,
          ),
        ),
        data,
      });
    else
      emit({
        service: 'grafana',
        check: 'grafana-datasources',
        status: 'pass',
        reason: `all ${results.length} datasources answer: ${nameSome(
          results.map((r) => r.ds.name),
          'datasources',
        )}`,
        data,
      });
  }
  if (!wantDashboards) return {};
  const dashboards = await grafana.searchDashboards();
  return dashboards.ok ? { dashboards: dashboards.value } : { dashboardsFailure: dashboards.failure.message };
}

export async function checkLoki(
  endpoint: ApiEndpoint,
  api: ApiContext,
  logs: ReadonlyArray<{ service: string; query: string }>,
  recentMinutes: number,
  nowMs: () => number,
  emit: (check: CheckDraft) => void,
): Promise<void> {
  const loki = new LokiClient(endpoint, api);
  const ready = await loki.ready();
  if (!ready.ok) {
    emit(couldNotCheck('loki', 'loki-ready', ready.failure));
    for (const l of logs) emit(couldNotCheck(l.service, LOGS_CHECK, ready.failure));
    return;
  }
  emit({ service: 'loki', check: 'loki-ready', status: 'pass', reason: `${loki.name}: ${ready.value}` });
  const limit = pLimit(CONCURRENCY);
  await Promise.all(
    logs.map(({ service, query }) =>
      limit(async () => {
        const end = nowMs();
        const found = await loki.queryRange(query, {
          startMs: end - recentMinutes * 60_000,
          endMs: end + 1,
          limit: 1,
          direction: 'backward',
        });
        if (!found.ok) return emit(couldNotCheck(service, LOGS_CHECK, found.failure));
        if (found.value.type !== 'streams')
          return emit(
            couldNotCheck(
              service,
              LOGS_CHECK,
              `${query} is a metric query (${found.value.type}); expected a log query`,
            ),
          );
        const newest = Math.max(...found.value.streams.flatMap((s) => s.entries.map((e) => e.ms)), -Infinity);
        emit(
          Number.isFinite(newest)
            ? {
                service,
                check: LOGS_CHECK,
                status: 'pass',
                reason: `a log line ${Math.max(0, Math.round((end - newest) / 1000))} s old (${query})`,
                data: { ageMs: Math.max(0, end - newest) },
              }
            : {
                service,
                check: LOGS_CHECK,
                status: 'fail',
                reason: `no log line of ${service} in Loki in the last ${recentMinutes} min (${query}): its logs are not shipped`,
              },
        );
      }),
    ),
  );
}
