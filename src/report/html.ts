// report.html: one self-contained file (no script, no network). It opens on what was decided (verdict,
// gates, success criteria: gates-html.ts), then each gate's criteria with the passed ones folded, the
// parity differences and security findings, baseline-vs-target latency distributions per endpoint,
// error rates, and the trend of the last runs, as inline SVG. Every string that came from a response,
// a config or a file is escaped, its hidden characters made visible.
import type { MetricEvidence } from '../core/evidence.js';
import { distributionFromEncoded, mergeDistributions, quantileOf } from '../core/stats/distribution.js';
import type { HistoryRow } from '../record/history.js';
import type { RunRecord } from '../record/run-schema.js';
import { browserHtml } from './browser-html.js';
import { findingsHtml, parityHtml } from './evidence-html.js';
import { decisionHtml, GATES_STYLE, gateSectionHtml } from './gates-html.js';
import { scenarioChecksHtml, seriesHtml, statusClassHtml } from './load-html.js';
import { barChart, dotChart, esc, type Line, lineChart } from './svg.js';

const COLOUR = { baseline: '#2f6db5', target: '#d9822b' };
const VERDICT_COLOUR: Record<string, string> = {
  GO: '#1f8a3b',
  'NO-GO': '#c0392b',
  INCONCLUSIVE: '#b8860b',
  none: '#777',
};
const MAX_CHARTS = 16;

function seriesKey(tags: Record<string, string>): string {
  return (
    ['service', 'endpoint', 'scenario']
      .filter((k) => tags[k])
      .map((k) => tags[k])
      .join(' · ') ||
    Object.entries(tags)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ') ||
    '(all)'
  );
}

/** The merged distribution of a series' items (one per status class; one in records before those). */
function cdf(
  items: readonly MetricEvidence[],
): { points: [number, number][]; p1: number; p50: number; p99: number } | undefined {
  try {
    const parts = items.flatMap((i) => (i.histogram ? [distributionFromEncoded(i.histogram)] : []));
    if (parts.length === 0) return undefined;
    const d = mergeDistributions(parts);
    if (d.n === 0) return undefined;
    const points: [number, number][] = [[d.values[0]!, 0]];
    for (let i = 0; i < d.values.length; i++) points.push([d.values[i]!, d.cum[i]! / d.n]);
    return { points, p1: quantileOf(d, 0.01), p50: quantileOf(d, 0.5), p99: quantileOf(d, 0.99) };
  } catch {
    return undefined;
  }
}

function latencyCharts(record: RunRecord): string {
  const trends = record.evidence.filter(
    (e): e is MetricEvidence => e.kind === 'metric' && e.type === 'trend' && e.name === 'http_req_duration',
  );
  const bySeries = new Map<string, Partial<Record<'baseline' | 'target', MetricEvidence[]>>>();
  for (const t of trends) {
    if (t.environment !== 'baseline' && t.environment !== 'target') continue;
    const key = seriesKey(t.tags);
    const entry = bySeries.get(key) ?? {};
    entry[t.environment] = [...(entry[t.environment] ?? []), t];
    bySeries.set(key, entry);
  }
  if (bySeries.size === 0)
    return '<p class="muted">No latency evidence in this run (the performance suite did not run).</p>';
  const charts: string[] = [];
  for (const [key, sides] of [...bySeries].sort((a, b) => a[0].localeCompare(b[0])).slice(0, MAX_CHARTS)) {
    const lines: Line[] = [];
    let xMin = Number.POSITIVE_INFINITY;
    let xMax = 0;
    for (const side of ['baseline', 'target'] as const) {
      const items = sides[side];
      const c = items ? cdf(items) : undefined;
      if (!c) continue;
      // From p1, but no more than three decades below the median: a cluster of near-zero samples
      // (cached answers, a clock's resolution) would otherwise squeeze the body into a corner.
      xMin = Math.min(xMin, Math.max(c.p1 / 1.2, c.p50 / 1000));
      xMax = Math.max(xMax, c.p99 * 1.2);
      lines.push({
        label: side,
        colour: COLOUR[side],
        points: c.points,
        ...(side === 'target' ? { dashed: true } : {}),
      });
    }
    if (lines.length)
      charts.push(
        `<figure>${lineChart(key, 'latency (ms, log scale), cumulative share from p1 to p99', lines, xMin, xMax || 1)}</figure>`,
      );
  }
  const more =
    bySeries.size > MAX_CHARTS
      ? `<p class="muted">${bySeries.size - MAX_CHARTS} more series are in report.json.</p>`
      : '';
  return `<div class="charts">${charts.join('')}</div>${more}`;
}

function errorChart(record: RunRecord): string {
  const rates = record.evidence.filter(
    (e): e is MetricEvidence => e.kind === 'metric' && e.type === 'rate' && e.name === 'http_req_failed',
  );
  if (rates.length === 0) return '<p class="muted">No error-rate evidence in this run.</p>';
  const bySeries = new Map<string, Record<string, { x: number; n: number }>>();
  for (const r of rates) {
    const key = seriesKey(r.tags);
    const entry = bySeries.get(key) ?? {};
    const prev = entry[r.environment] ?? { x: 0, n: 0 };
    entry[r.environment] = { x: prev.x + (r.passes ?? 0), n: prev.n + (r.passes ?? 0) + (r.fails ?? 0) };
    bySeries.set(key, entry);
  }
  let max = 0.01;
  const bars = [...bySeries]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .slice(0, 30)
    .map(([label, sides]) => ({
      label,
      values: (['baseline', 'target'] as const)
        .filter((s) => sides[s] && sides[s].n > 0)
        .map((s) => {
          const v = sides[s]!.x / sides[s]!.n;
          max = Math.max(max, v);
          return {
            value: v,
            colour: COLOUR[s],
            text: `${s} ${(v * 100).toFixed(2)} % (${sides[s]!.x}/${sides[s]!.n})`,
          };
        }),
    }));
  return barChart('http_req_failed: error rate per series (blue baseline, orange target)', bars, max);
}

function trendChart(record: RunRecord, history: readonly HistoryRow[]): string {
  const rows = [...history.filter((h) => h.id !== record.id).slice(0, 19)].reverse();
  const blocking = record.gates.flatMap((g) => g.criteria.filter((c) => c.blocking));
  rows.push({
    id: record.id,
    startedAt: record.startedAt,
    verdict: record.verdict ?? 'none',
    failed: blocking.filter((c) => c.status === 'FAIL').length,
    inconclusive: blocking.filter((c) => c.status === 'INCONCLUSIVE').length,
  });
  return dotChart(
    `Last ${rows.length} run(s): failed blocking criteria (colour = verdict)`,
    'failed criteria',
    rows.map((r) => ({
      label: `${r.id} ${r.verdict}: ${r.failed} failed, ${r.inconclusive} inconclusive`,
      value: r.failed,
      colour: VERDICT_COLOUR[r.verdict] ?? '#777',
    })),
  );
}

const STYLE = `body{font:14px/1.45 "Liberation Sans",Arial,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px}.verdict{display:inline-block;padding:2px 10px;border-radius:4px;color:#fff;font-weight:bold}
.v-GO{background:#1f8a3b}.v-NO-GO{background:#c0392b}.v-INCONCLUSIVE{background:#b8860b}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3}tr.FAIL td:first-child{border-left:4px solid #c0392b}tr.INCONCLUSIVE td:first-child{border-left:4px solid #b8860b}
tr.PASS td:first-child{border-left:4px solid #1f8a3b}tr.WAIVED td:first-child{border-left:4px solid #2f6db5}
.muted{color:#666}.charts{display:flex;flex-wrap:wrap;gap:8px}figure{margin:0;border:1px solid #eee}
svg .t{font-size:11px;font-weight:bold}svg .a{font-size:9px;fill:#444}svg .g{stroke:#eee}
td.num{min-width:6em}td.reason{min-width:24em}
${GATES_STYLE}`;

export function renderHtml(record: RunRecord, history: readonly HistoryRow[]): string {
  const verdict = record.verdict ?? 'INCONCLUSIVE';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Cutover ${esc(record.id)}: ${verdict}</title><style>${STYLE}</style></head><body>
${decisionHtml(record)}
${record.gates.map(gateSectionHtml).join('\n')}
<h2>Integration parity</h2>${parityHtml(record)}
<h2>Security findings</h2>${findingsHtml(record)}
${record.checks.some((c) => c.suite === 'browser') ? `<h2>Browser: pages on baseline and target</h2>${browserHtml(record)}\n` : ''}<h2>Latency: baseline vs target per endpoint</h2>${latencyCharts(record)}
<h2>Performance over time</h2>${seriesHtml(record, COLOUR)}
<h2>Latency by status class</h2>${statusClassHtml(record)}
<h2>Scenario checks</h2>${scenarioChecksHtml(record)}
<h2>Error rates</h2>${errorChart(record)}
<h2>Trend</h2>${trendChart(record, history)}
</body></html>
`;
}

export type { HistoryRow };
