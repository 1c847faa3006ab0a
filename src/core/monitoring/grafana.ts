// Grafana's HTTP API answers as typed values: /api/health, /api/datasources, a datasource's health,
// /api/search and a dashboard by uid (grafana/grafana docs/sources/developers/http_api/data_source.md,
// folder_dashboard_search.md, dashboard.md; pkg/api/datasources.go checkDatasourceHealth). A datasource
// health check answers 200 `{status:"OK", message}` or 400 `{status:"ERROR", message}` — the 400 is the
// datasource failing, not the request. Other errors are `{message}` (and often `traceID`). Pure.
import { z } from 'zod';
import { excerpt, parseJson, type RawAnswer } from './api-outcome.js';

/** 200 `{commit, database:"ok", version}`, or 503 with `database:"failing"`; version/commit may be hidden. */
export const grafanaHealthSchema = z
  .object({ database: z.string(), version: z.string().optional(), commit: z.string().optional() })
  .loose()
  .transform((h) => ({ database: h.database, version: h.version, commit: h.commit }));

export type GrafanaHealth = z.output<typeof grafanaHealthSchema>;

export const datasourceSchema = z
  .object({
    id: z.number().optional(),
    uid: z.string(),
    name: z.string(),
    type: z.string(),
    url: z.string().optional(),
    access: z.string().optional(),
    isDefault: z.boolean().optional(),
    readOnly: z.boolean().optional(),
  })
  .loose()
  .transform((d) => ({
    uid: d.uid,
    name: d.name,
    type: d.type,
    url: d.url ?? '',
    access: d.access,
    isDefault: d.isDefault ?? false,
  }));

export type Datasource = z.output<typeof datasourceSchema>;

export const datasourcesSchema = z.array(datasourceSchema);

/** `OK`, `ERROR` or `UNKNOWN` (backend.HealthStatus); only `OK` is healthy. */
export const datasourceHealthSchema = z
  .object({ status: z.string(), message: z.string().optional(), details: z.unknown().optional() })
  .loose()
  .transform((h) => ({ status: h.status, healthy: h.status === 'OK', message: h.message ?? '' }));

export type DatasourceHealth = z.output<typeof datasourceHealthSchema>;

export const searchHitSchema = z
  .object({
    uid: z.string(),
    title: z.string(),
    type: z.string(),
    url: z.string().optional(),
    tags: z.array(z.string()).nullish(),
    folderUid: z.string().optional(),
    folderTitle: z.string().optional(),
  })
  .loose()
  .transform((h) => ({
    uid: h.uid,
    title: h.title,
    /** `dash-db` for a dashboard, `dash-folder` for a folder. */
    type: h.type,
    url: h.url ?? '',
    tags: h.tags ?? [],
    folderUid: h.folderUid,
    folderTitle: h.folderTitle,
  }));

export type SearchHit = z.output<typeof searchHitSchema>;

export const searchSchema = z.array(searchHitSchema);

const panel = z
  .object({
    id: z.number().optional(),
    type: z.string().optional(),
    title: z.string().optional(),
    datasource: z.unknown().optional(),
    targets: z.array(z.record(z.string(), z.unknown())).nullish(),
    panels: z.array(z.unknown()).nullish(),
  })
  .loose();

export type DashboardPanel = z.output<typeof panel>;

/** `{dashboard, meta}`: the classic dashboard JSON model with its panels, and where it is kept. */
export const dashboardSchema = z
  .object({
    dashboard: z.object({ uid: z.string(), title: z.string(), panels: z.array(panel).nullish() }).loose(),
    meta: z
      .object({
        folderUid: z.string().optional(),
        folderTitle: z.string().optional(),
        url: z.string().optional(),
      })
      .loose(),
  })
  .transform((d) => ({
    uid: d.dashboard.uid,
    title: d.dashboard.title,
    /** Top-level panels; a row's nested `panels` are flattened in, so every query is reachable. */
    panels: (d.dashboard.panels ?? []).flatMap((p) => [
      p,
      ...(p.panels ?? []).flatMap((q) => {
        const nested = panel.safeParse(q);
        return nested.success ? [nested.data] : [];
      }),
    ]),
    folderTitle: d.meta.folderTitle,
    url: d.meta.url,
    /** The dashboard JSON as Grafana keeps it, for parity and for re-running its queries. */
    model: d.dashboard as Record<string, unknown>,
  }));

export type Dashboard = z.output<typeof dashboardSchema>;

/** Grafana's words in an error answer: its `{message}`, or the body. */
export function grafanaErrorWords(answer: RawAnswer): string {
  const json = parseJson(answer.text);
  const message = json.ok ? (json.value as { message?: unknown } | null)?.message : undefined;
  return typeof message === 'string' ? excerpt(message) : excerpt(answer.text);
}
