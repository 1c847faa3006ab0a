// Prometheus: readiness, status, targets, rules, alerts, Alertmanagers, instant and range queries, series
// and metadata, enough for the "monitoring fully operational" checks and `cutover watch`. Shapes follow
// shared/reference/monitoring.md §1 and a real Prometheus 2.42 (the monitoring adapters' tests run both):
// /api/v1/query, /query_range and /series take GET or a POST form; targets and rules honour their filters.

import { iso, type RouteContext, type RouteHandler, type ServiceDefinition, text } from '../route.js';
import { type Labels, labelsMatch, success } from './labels.js';
import {
  badData,
  evaluate,
  instanceOf,
  MAX_POINTS,
  METADATA,
  parseSelector,
  parseStep,
  parseTime,
  SCRAPE_JOBS,
  SERIES,
} from './prometheus-data.js';

export const prometheus: ServiceDefinition = {
  health: {
    path: '/-/ready',
    status: 200,
    contentType: 'text/plain',
    contains: 'Prometheus Server is Ready.',
  },
  routes: ({ startedAtMs, peers, faults = [] }) => {
    // The platform's jobs and every service of the environment are scrape jobs; the
    // monitoring faults make one target down, add a rule that fails to evaluate, or one that selects nothing.
    const jobs = [...new Set([...SCRAPE_JOBS, ...(peers ?? [])])];
    const defects = faults.flatMap((f) => (f.kind === 'monitoring' ? [f] : []));
    const downJobs = new Set(
      defects.flatMap((f) => (f.defect === 'target-down' && f.service ? [f.service] : [])),
    );
    const ruleBroken = defects.some((f) => f.defect === 'rule-broken');
    const ruleSelectsNothing = defects.some((f) => f.defect === 'rule-selects-nothing');
    const watchdog = { alertname: 'Watchdog', severity: 'none' };
    const watchdogAlert = {
      labels: watchdog,
      annotations: {},
      state: 'firing',
      activeAt: iso(startedAtMs),
      value: '1e+00',
    };

    const query: RouteHandler = (ctx) => {
      const t = ctx.query.get('time');
      const at = t === null ? ctx.now() : parseTime(t);
      if (at === undefined)
        return badData(`invalid parameter "time": cannot parse "${t}" to a valid timestamp`);
      // Prometheus scrapes itself: its own counters are there, and the stand-in drops no notification.
      if (
        /^sum\(increase\(prometheus_notifications_dropped_total\[\w+\]\)\)$/.test(
          ctx.query.get('query') ?? '',
        )
      )
        return success({ resultType: 'vector', result: [{ metric: {}, value: [at / 1000, '0'] }] });
      const result = evaluate(ctx.query.get('query') ?? '');
      if (!result.ok) return badData(result.error);
      return success({
        resultType: 'vector',
        result: result.series.map((s) => ({ metric: s.metric, value: [at / 1000, s.value] })),
      });
    };

    const queryRange: RouteHandler = (ctx) => {
      const param = (name: string) => ctx.query.get(name) ?? '';
      const start = parseTime(param('start'));
      if (start === undefined)
        return badData(`invalid parameter "start": cannot parse "${param('start')}" to a valid timestamp`);
      const end = parseTime(param('end'));
      if (end === undefined)
        return badData(`invalid parameter "end": cannot parse "${param('end')}" to a valid timestamp`);
      if (end < start) return badData('invalid parameter "end": end timestamp must not be before start time');
      const step = parseStep(param('step'));
      if (step === undefined)
        return badData(`invalid parameter "step": cannot parse "${param('step')}" to a valid duration`);
      if (step <= 0)
        return badData(
          'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
        );
      if ((end - start) / 1000 / step > MAX_POINTS)
        return badData(
          'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
        );
      const result = evaluate(param('query'));
      if (!result.ok) return badData(result.error);
      const times: number[] = [];
      for (let t = start; t <= end; t += step * 1000) times.push(t / 1000);
      return success({
        resultType: 'matrix',
        result: result.series.map((s) => ({ metric: s.metric, values: times.map((t) => [t, s.value]) })),
      });
    };

    const series: RouteHandler = (ctx) => {
      const selectors = ctx.query.getAll('match[]');
      if (selectors.length === 0) return badData('no match[] parameter provided');
      const wanted: Labels[] = [];
      for (const s of selectors) {
        const parsed = parseSelector(s);
        if (!parsed)
          return badData(
            `invalid parameter "match[]": 1:1: parse error: unexpected character in ${JSON.stringify(s)}`,
          );
        wanted.push(parsed);
      }
      return success(SERIES.filter((s) => wanted.some((w) => labelsMatch(s, w))));
    };

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
        path: '/api/v1/status/runtimeinfo',
        handler: () =>
          success({
            startTime: iso(startedAtMs),
            CWD: '/prometheus',
            reloadConfigSuccess: true,
            lastConfigTime: iso(Math.floor(startedAtMs / 1000) * 1000),
            corruptionCount: 0,
            goroutineCount: 42,
            GOMAXPROCS: 2,
            GOGC: '',
            GODEBUG: '',
            storageRetention: '15d',
          }),
      },
      {
        method: 'GET',
        path: '/api/v1/targets',
        handler: (ctx) => {
          const state = (ctx.query.get('state') ?? '').toLowerCase();
          const pool = ctx.query.get('scrapePool');
          const showActive = state === '' || state === 'any' || state === 'active';
          const listed = jobs.filter((job) => !pool || job === pool);
          return success({
            activeTargets: showActive ? listed.map((job) => activeTarget(ctx, job, downJobs.has(job))) : [],
            // The stand-in drops no target; the list is there, empty, as in a real answer.
            droppedTargets: [],
          });
        },
      },
      { method: 'GET', path: '/api/v1/query', handler: query },
      { method: 'POST', path: '/api/v1/query', handler: query },
      { method: 'GET', path: '/api/v1/query_range', handler: queryRange },
      { method: 'POST', path: '/api/v1/query_range', handler: queryRange },
      { method: 'GET', path: '/api/v1/series', handler: series },
      { method: 'POST', path: '/api/v1/series', handler: series },
      {
        method: 'GET',
        path: '/api/v1/metadata',
        handler: (ctx) => {
          const metric = ctx.query.get('metric');
          return success(metric ? (METADATA[metric] ? { [metric]: METADATA[metric] } : {}) : METADATA);
        },
      },
      {
        method: 'GET',
        path: '/api/v1/rules',
        handler: (ctx) => {
          const type = ctx.query.get('type');
          if (type !== null && type !== 'alert' && type !== 'record')
            return badData(`invalid parameter "type": not supported value "${type}"`);
          // The platform's rules are all alerting rules: asking for recording rules lists the group empty.
          const rules =
            type === 'record'
              ? []
              : [
                  alertRule('Watchdog', 'vector(1)', watchdog, 'firing', iso(ctx.now()), [watchdogAlert]),
                  alertRule(
                    'TargetDown',
                    'up == 0',
                    { alertname: 'TargetDown', severity: 'critical' },
                    'inactive',
                    iso(ctx.now()),
                    [],
                  ),
                ];
          const group = (name: string, list: unknown[]) => ({
            name,
            file: `/etc/prometheus/rules/${name}.yml`,
            rules: list,
            interval: 30,
            limit: 0,
            evaluationTime: 0.0008,
            lastEvaluation: iso(ctx.now()),
          });
          const broken = {
            name: 'job:up:broken',
            query: 'up * on () up',
            labels: {},
            health: 'err',
            lastError:
              'found duplicate series for the match group {} on the right hand-side of the operation: [{__name__="up", job="traefik"}, {__name__="up", job="keycloak"}];many-to-many matching not allowed: matching labels must be unique on one side',
            evaluationTime: 0.0002,
            lastEvaluation: iso(ctx.now()),
            type: 'recording',
          };
          const misspelled = alertRule(
            'RequestsStopped',
            'sum(rate(http_request_totl[5m])) == 0',
            { alertname: 'RequestsStopped' },
            'inactive',
            iso(ctx.now()),
            [],
          );
          return success({
            groups: [
              group('platform', rules),
              ...(ruleBroken && type !== 'alert' ? [group('broken', [broken])] : []),
              ...(ruleSelectsNothing && type !== 'record' ? [group('misspelled', [misspelled])] : []),
            ],
          });
        },
      },
      { method: 'GET', path: '/api/v1/alerts', handler: () => success({ alerts: [watchdogAlert] }) },
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

function activeTarget(ctx: RouteContext, job: string, down = false) {
  const address = instanceOf(job);
  return {
    discoveredLabels: {
      __address__: address,
      __metrics_path__: '/metrics',
      __scheme__: 'http',
      __scrape_interval__: '15s',
      __scrape_timeout__: '10s',
      job,
    },
    labels: { instance: address, job },
    scrapePool: job,
    scrapeUrl: `http://${address}/metrics`,
    globalUrl: `http://${address}/metrics`,
    lastError: down
      ? `Get "http://${address}/metrics": dial tcp ${address}: connect: connection refused`
      : '',
    lastScrape: iso(ctx.now()),
    lastScrapeDuration: 0.004,
    health: down ? 'down' : 'up',
    scrapeInterval: '15s',
    scrapeTimeout: '10s',
  };
}

function alertRule(
  name: string,
  query: string,
  labels: Labels,
  state: string,
  at: string,
  alerts: unknown[],
) {
  return {
    state,
    name,
    query,
    duration: 0,
    keepFiringFor: 0,
    labels,
    annotations: {},
    alerts,
    health: 'ok',
    evaluationTime: 0.0002,
    lastEvaluation: at,
    type: 'alerting',
  };
}
