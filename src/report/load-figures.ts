// The figures the reports show of a load run beyond the gates: latency per status class (baseline and
// target side by side) and a summary of each per-second series. Plain data; the Markdown and HTML
// renderers format it.
import type { MetricEvidence } from '../core/evidence.js';
import type { LoadSeries, LoadSeriesPoint } from '../core/series.js';
import { distributionFromEncoded, mergeDistributions, quantileOf } from '../core/stats/distribution.js';
import type { RunRecord } from '../record/run-schema.js';

export interface ClassFigures {
  n: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface StatusClassRow {
  scenario: string;
  endpoint: string;
  statusClass: string;
  sides: Partial<Record<string, ClassFigures>>;
}

function figures(items: readonly MetricEvidence[]): ClassFigures | undefined {
  try {
    const parts = items.flatMap((i) => (i.histogram ? [distributionFromEncoded(i.histogram)] : []));
    if (parts.length === 0) return undefined;
    const d = mergeDistributions(parts);
    if (d.n === 0) return undefined;
    return { n: d.n, p50: quantileOf(d, 0.5), p95: quantileOf(d, 0.95), p99: quantileOf(d, 0.99) };
  } catch {
    return undefined; // A corrupt histogram shows as no figures rather than breaking the report.
  }
}

/** Latency per scenario, endpoint and status class, per environment; empty for records without the tag. */
export function statusClassRows(record: Pick<RunRecord, 'evidence'>): StatusClassRow[] {
  const groups = new Map<string, { row: StatusClassRow; items: Map<string, MetricEvidence[]> }>();
  for (const e of record.evidence) {
    if (e.kind !== 'metric' || e.name !== 'http_req_duration' || !e.tags.status_class) continue;
    const scenario = e.tags.scenario ?? e.tags.service ?? '';
    const endpoint = e.tags.endpoint ?? '';
    const key = JSON.stringify([scenario, endpoint, e.tags.status_class]);
    let g = groups.get(key);
    if (!g) {
      g = { row: { scenario, endpoint, statusClass: e.tags.status_class, sides: {} }, items: new Map() };
      groups.set(key, g);
    }
    g.items.set(e.environment, [...(g.items.get(e.environment) ?? []), e]);
  }
  const rows: StatusClassRow[] = [];
  for (const { row, items } of groups.values()) {
    for (const [env, list] of items) {
      const f = figures(list);
      if (f) row.sides[env] = f;
    }
    rows.push(row);
  }
  return rows.sort(
    (a, b) =>
      a.scenario.localeCompare(b.scenario) ||
      a.endpoint.localeCompare(b.endpoint) ||
      a.statusClass.localeCompare(b.statusClass),
  );
}

/** The environments of the rows, baseline first. */
export function sidesOf(rows: readonly { sides: object }[]): string[] {
  return [...new Set(rows.flatMap((r) => Object.keys(r.sides)))].sort((a, b) =>
    a === 'baseline' ? -1 : b === 'baseline' ? 1 : a.localeCompare(b),
  );
}

/** Whether the rows hold anything beyond 2xx answers (otherwise one sentence says so). */
export function onlySuccess(rows: readonly StatusClassRow[]): boolean {
  return rows.every((r) => r.statusClass === '2xx');
}

export interface CheckTally {
  passes: number;
  fails: number;
}

export interface ScenarioCheckRow {
  scenario: string;
  check: string;
  sides: Partial<Record<string, CheckTally>>;
}

/** Whether a check failed at least once on some side. */
export const checkFailed = (row: ScenarioCheckRow): boolean =>
  Object.values(row.sides).some((t) => t !== undefined && t.fails > 0);

/**
 * How often each k6-style check of the performance scenarios held, per environment: the `checks`
 * evidence tagged `check`, summed over the record's items (several blocks or runs). Failing checks come
 * first, then by scenario and name.
 */
export function scenarioCheckRows(record: Pick<RunRecord, 'evidence'>): ScenarioCheckRow[] {
  const rows = new Map<string, ScenarioCheckRow>();
  for (const e of record.evidence) {
    if (e.kind !== 'metric' || e.name !== 'checks' || e.tags.check === undefined) continue;
    const scenario = e.tags.scenario ?? e.tags.service ?? '';
    const key = JSON.stringify([scenario, e.tags.check]);
    const row = rows.get(key) ?? { scenario, check: e.tags.check, sides: {} };
    rows.set(key, row);
    const t = row.sides[e.environment] ?? { passes: 0, fails: 0 };
    row.sides[e.environment] = { passes: t.passes + (e.passes ?? 0), fails: t.fails + (e.fails ?? 0) };
  }
  return [...rows.values()].sort(
    (a, b) =>
      Number(checkFailed(b)) - Number(checkFailed(a)) ||
      a.scenario.localeCompare(b.scenario) ||
      a.check.localeCompare(b.check),
  );
}

/** `1850 / 2000 (92.50 %)`. */
export function tallyText(t: CheckTally): string {
  const total = t.passes + t.fails;
  // Rounded down, so a check that failed even once never reads as 100 %.
  const pct =
    t.fails === 0 ? '100' : t.passes === 0 ? '0' : (Math.floor((10_000 * t.passes) / total) / 100).toFixed(2);
  return `${t.passes} / ${total} (${pct} %)`;
}

export interface SeriesSummary {
  scenario: string;
  service: string;
  environment: string;
  stepS: number;
  /** Seconds from the first point's start to the last point's end, at most the planned timeline. */
  spanS: number;
  points: number;
  requests: number;
  failed: number;
  dropped: number;
  meanRate: number;
  peakRate: number;
  /** Median over the points of their p95: the typical p95 of one interval. */
  typicalP95: number;
  worstP95: { value: number; t: number };
  worstP99: { value: number; t: number };
  /** Points with a failed request or a dropped iteration. */
  troubled: number;
}

const answered = (p: LoadSeriesPoint) => p.requests > 0;

export function summariseSeries(s: LoadSeries): SeriesSummary | undefined {
  if (s.points.length === 0) return undefined;
  const first = s.points[0]!;
  const last = s.points.at(-1)!;
  // The planned timeline caps the span: answers after its end (a graceful stop) are not another second.
  const spanS = Math.min(last.t + s.stepS - first.t, s.timelineS ?? Number.POSITIVE_INFINITY);
  const requests = s.points.reduce((n, p) => n + p.requests, 0);
  const latency = s.points.filter(answered);
  const p95s = latency.map((p) => p.p95Ms).sort((a, b) => a - b);
  const worst = (pick: (p: LoadSeriesPoint) => number) =>
    latency.reduce((w, p) => (pick(p) > w.value ? { value: pick(p), t: p.t } : w), { value: 0, t: first.t });
  return {
    scenario: s.scenario,
    service: s.service,
    environment: s.environment,
    stepS: s.stepS,
    spanS,
    points: s.points.length,
    requests,
    failed: s.points.reduce((n, p) => n + p.failed, 0),
    dropped: s.points.reduce((n, p) => n + p.dropped, 0),
    meanRate: requests / Math.max(spanS, 1e-9),
    peakRate: Math.max(...s.points.map((p) => p.requests / s.stepS)),
    typicalP95: p95s.length ? p95s[Math.floor((p95s.length - 1) / 2)]! : 0,
    worstP95: worst((p) => p.p95Ms),
    worstP99: worst((p) => p.p99Ms),
    troubled: s.points.filter((p) => p.failed > 0 || p.dropped > 0).length,
  };
}

/** The record's series grouped per scenario (suite, scenario), environments in record order. */
export function seriesByScenario(record: Pick<RunRecord, 'series'>): Map<string, LoadSeries[]> {
  const out = new Map<string, LoadSeries[]>();
  for (const s of record.series ?? []) {
    const key = `${s.scenario}`;
    out.set(key, [...(out.get(key) ?? []), s]);
  }
  return out;
}

/** Milliseconds for a table: three significant digits, at least one decimal below 10 ms. */
export function ms(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}
