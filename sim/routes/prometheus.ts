// Prometheus: readiness, build info, targets, rules, alerts and instant queries, enough for the
// "monitoring fully operational" checks. Shapes follow shared/reference/monitoring.md §1.

import { iso, json, type RouteContext, type ServiceDefinition, text } from '../route.js';
import { type Labels, success } from './labels.js';

/** The jobs Prometheus scrapes on the platform; each one is up in the stand-in. */
const SCRAPE_JOBS = [
  'traefik',
  'keycloak',
  'openbao',
  'rentguy-api',
  'psra-api',
  'psra-origin-engine',
  'wpcs-api',
  'n8n',
  'langgraph',
  'claude-chat',
  'trading-dashboard',
];

export const prometheus: ServiceDefinition = {
  health: {
    path: '/-/ready',
    status: 200,
    contentType: 'text/plain',
    contains: 'Prometheus Server is Ready.',
  },
  routes: ({ startedAtMs }) => {
    const watchdog = { alertname: 'Watchdog', severity: 'none' };
    const sample = (ctx: RouteContext, metric: Labels) => ({
      metric,
      value: [ctx.now() / 1000, '1'],
    });
    return [
      { method: 'GET', path: '/-/ready', handler: () => text('Prometheus Server is Ready.\n') },
      { method: 'GET', path: '/-/healthy', handler: () => text('Prometheus Server is Healthy.\n') },
      {
        method: 'GET',
        path: '/api/v1/status/buildinfo',
        handler: () =>
          success({
            version: '2.54.1',
            revision: 'e6cfa720fbe6280153fab13090a483dbd40bece3',
            branch: 'HEAD',
            buildUser: 'root@812ffd741951',
            buildDate: '20240827-10:56:41',
            goVersion: 'go1.22.6',
          }),
      },
      {
        method: 'GET',
        path: '/api/v1/targets',
        handler: (ctx) =>
          success({
            activeTargets: SCRAPE_JOBS.map((job) => ({
              discoveredLabels: { __address__: `${job}:8080`, job },
              labels: { instance: `${job}:8080`, job },
              scrapePool: job,
              scrapeUrl: `http://${job}:8080/metrics`,
              globalUrl: `http://${job}:8080/metrics`,
              lastError: '',
              lastScrape: iso(ctx.now()),
              lastScrapeDuration: 0.004,
              health: 'up',
              scrapeInterval: '15s',
              scrapeTimeout: '10s',
            })),
            droppedTargets: [],
          }),
      },
      {
        method: 'GET',
        path: '/api/v1/query',
        handler: (ctx) => {
          const query = ctx.query.get('query')?.trim();
          if (!query) {
            return json(
              {
                status: 'error',
                errorType: 'bad_data',
                error: 'invalid parameter "query": 1:1: parse error: no expression found in input',
              },
              400,
            );
          }
          // `up` and `vector(1)` are what liveness checks ask; anything else is a valid query with no data.
          const result =
            query === 'up'
              ? SCRAPE_JOBS.map((job) => sample(ctx, { __name__: 'up', instance: `${job}:8080`, job }))
              : query === 'vector(1)'
                ? [sample(ctx, {})]
                : [];
          return success({ resultType: 'vector', result });
        },
      },
      {
        method: 'GET',
        path: '/api/v1/rules',
        handler: (ctx) =>
          success({
            groups: [
              {
                name: 'platform',
                file: '/etc/prometheus/rules/platform.yml',
                interval: 30,
                limit: 0,
                lastEvaluation: iso(ctx.now()),
                evaluationTime: 0.0008,
                rules: [
                  alertRule('Watchdog', 'vector(1)', watchdog, 'firing', iso(ctx.now())),
                  alertRule(
                    'TargetDown',
                    'up == 0',
                    { alertname: 'TargetDown', severity: 'critical' },
                    'inactive',
                    iso(ctx.now()),
                  ),
                ],
              },
            ],
          }),
      },
      {
        method: 'GET',
        path: '/api/v1/alerts',
        handler: () =>
          success({
            alerts: [
              {
                labels: watchdog,
                annotations: {},
                state: 'firing',
                activeAt: iso(startedAtMs),
                value: '1e+00',
              },
            ],
          }),
      },
      {
        method: 'GET',
        path: '/api/v1/alertmanagers',
        handler: () =>
          success({
            activeAlertmanagers: [{ url: 'http://alertmanager:9093/api/v2/alerts' }],
            droppedAlertmanagers: [],
          }),
      },
    ];
  },
};

function alertRule(name: string, query: string, labels: Labels, state: string, at: string) {
  return {
    state,
    name,
    query,
    duration: 0,
    labels,
    annotations: {},
    alerts: [],
    health: 'ok',
    evaluationTime: 0.0002,
    lastEvaluation: at,
    type: 'alerting',
  };
}
