// Grafana: health, datasources with their health checks, dashboard search and dashboards by uid, in the
// shapes of Grafana's documented HTTP API (docs/sources/developers/http_api/data_source.md,
// folder_dashboard_search.md, dashboard.md) and its handlers (pkg/api/datasources.go: a health check
// answers 200 `{status:"OK", message}`; errors are `{message}`).

import { json, type ServiceDefinition } from '../route.js';

interface StandInDatasource {
  id: number;
  uid: string;
  name: string;
  type: string;
  typeName: string;
  url: string;
  isDefault: boolean;
  health: string;
}

const DATASOURCES: StandInDatasource[] = [
  {
    id: 1,
    uid: 'prometheus',
    name: 'Prometheus',
    type: 'prometheus',
    typeName: 'Prometheus',
    url: 'http://prometheus:9090',
    isDefault: true,
    health: 'Successfully queried the Prometheus API.',
  },
  {
    id: 2,
    uid: 'loki',
    name: 'Loki',
    type: 'loki',
    typeName: 'Loki',
    url: 'http://loki:3100',
    isDefault: false,
    health: 'Data source successfully connected.',
  },
];

const FOLDER = { id: 10, uid: 'platform', title: 'Platform' };

const prom = { type: 'prometheus', uid: 'prometheus' };

/** The platform's dashboards: their JSON models, as /api/dashboards/uid/:uid returns them. */
const DASHBOARDS = [
  {
    id: 11,
    uid: 'platform-overview',
    title: 'Platform overview',
    tags: ['platform', 'red'],
    panels: [
      {
        id: 1,
        type: 'timeseries',
        title: 'Requests per second',
        datasource: prom,
        gridPos: { x: 0, y: 0, w: 12, h: 8 },
        targets: [{ refId: 'A', datasource: prom, expr: 'sum by (job) (rate(http_requests_total[5m]))' }],
      },
      {
        id: 2,
        type: 'timeseries',
        title: 'p95 latency',
        datasource: prom,
        gridPos: { x: 12, y: 0, w: 12, h: 8 },
        targets: [
          {
            refId: 'A',
            datasource: prom,
            expr: 'histogram_quantile(0.95, sum by (le, job) (rate(http_request_duration_seconds_bucket[5m])))',
          },
        ],
      },
      {
        id: 3,
        type: 'row',
        title: 'Scraping',
        collapsed: true,
        gridPos: { x: 0, y: 8, w: 24, h: 1 },
        panels: [
          {
            id: 4,
            type: 'stat',
            title: 'Targets up',
            datasource: prom,
            gridPos: { x: 0, y: 9, w: 6, h: 4 },
            targets: [{ refId: 'A', datasource: prom, expr: 'sum(up)' }],
          },
        ],
      },
    ],
  },
  {
    id: 12,
    uid: 'platform-logs',
    title: 'Platform logs',
    tags: ['platform', 'logs'],
    panels: [
      {
        id: 1,
        type: 'logs',
        title: 'Errors',
        datasource: { type: 'loki', uid: 'loki' },
        gridPos: { x: 0, y: 0, w: 24, h: 12 },
        targets: [{ refId: 'A', datasource: { type: 'loki', uid: 'loki' }, expr: '{job=~".+"} |= "error"' }],
      },
    ],
  },
];

const slug = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, '-');

export const grafana: ServiceDefinition = {
  health: {
    path: '/api/health',
    status: 200,
    contentType: 'application/json',
    json: { database: 'ok', version: '11.2.0' },
  },
  routes: ({ startedAtMs }) => {
    const created = new Date(startedAtMs).toISOString();
    return [
      {
        method: 'GET',
        path: '/api/health',
        handler: () =>
          json({ commit: '2a88694fd3ced0335bf3726cc5d0adc2d1858855', database: 'ok', version: '11.2.0' }),
      },
      {
        method: 'GET',
        path: '/api/datasources',
        handler: () =>
          json(
            DATASOURCES.map((d) => ({
              id: d.id,
              uid: d.uid,
              orgId: 1,
              name: d.name,
              type: d.type,
              typeName: d.typeName,
              typeLogoUrl: `public/app/plugins/datasource/${d.type}/img/${d.type}_logo.svg`,
              access: 'proxy',
              url: d.url,
              user: '',
              database: '',
              basicAuth: false,
              isDefault: d.isDefault,
              jsonData: {},
              readOnly: true,
            })),
          ),
      },
      {
        method: 'GET',
        path: '/api/datasources/uid/:uid/health',
        handler: (ctx) => {
          const ds = DATASOURCES.find((d) => d.uid === ctx.params.uid);
          // Grafana answers an unknown uid as a failure to load it, not as a 404 (checkDatasourceHealthWithUID).
          if (!ds) return json({ message: 'Unable to load datasource metadata' }, 500);
          return json({ message: ds.health, status: 'OK' });
        },
      },
      {
        method: 'GET',
        path: '/api/search',
        handler: (ctx) => {
          const type = ctx.query.get('type');
          const text = (ctx.query.get('query') ?? '').toLowerCase();
          const tags = ctx.query.getAll('tag');
          const limit = Math.min(5000, Number(ctx.query.get('limit')) || 1000);
          const page = Math.max(1, Number(ctx.query.get('page')) || 1);
          const folder = {
            id: FOLDER.id,
            uid: FOLDER.uid,
            title: FOLDER.title,
            uri: `db/${slug(FOLDER.title)}`,
            url: `/dashboards/f/${FOLDER.uid}/${slug(FOLDER.title)}`,
            slug: '',
            type: 'dash-folder',
            tags: [] as string[],
            isStarred: false,
            sortMeta: 0,
          };
          const dashboards = DASHBOARDS.map((d) => ({
            id: d.id,
            uid: d.uid,
            title: d.title,
            uri: `db/${slug(d.title)}`,
            url: `/d/${d.uid}/${slug(d.title)}`,
            slug: '',
            type: 'dash-db',
            tags: d.tags,
            isStarred: false,
            sortMeta: 0,
            folderId: FOLDER.id,
            folderUid: FOLDER.uid,
            folderTitle: FOLDER.title,
            folderUrl: folder.url,
          }));
          const hits = [...(tags.length ? [] : [folder]), ...dashboards]
            .filter((h) => !type || h.type === type)
            .filter((h) => h.title.toLowerCase().includes(text))
            .filter((h) => tags.every((t) => h.tags.includes(t)));
          return json(hits.slice((page - 1) * limit, page * limit));
        },
      },
      {
        method: 'GET',
        path: '/api/dashboards/uid/:uid',
        handler: (ctx) => {
          const d = DASHBOARDS.find((x) => x.uid === ctx.params.uid);
          if (!d) return json({ message: 'Dashboard not found' }, 404);
          return json({
            dashboard: { ...d, schemaVersion: 39, version: 1, time: { from: 'now-6h', to: 'now' } },
            meta: {
              type: 'db',
              canSave: false,
              canEdit: false,
              canAdmin: false,
              canStar: true,
              canDelete: false,
              slug: slug(d.title),
              url: `/d/${d.uid}/${slug(d.title)}`,
              expires: '0001-01-01T00:00:00Z',
              created,
              updated: created,
              updatedBy: 'admin',
              createdBy: 'admin',
              version: 1,
              hasAcl: false,
              isFolder: false,
              folderId: FOLDER.id,
              folderUid: FOLDER.uid,
              folderTitle: FOLDER.title,
              folderUrl: `/dashboards/f/${FOLDER.uid}/${slug(FOLDER.title)}`,
              provisioned: true,
              provisionedExternalId: `${d.uid}.json`,
            },
          });
        },
      },
    ];
  },
};
