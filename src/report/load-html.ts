// The load sections of report.html: per scenario, p50/p95/p99 and the request rate over time with
// baseline and target laid over each other (inline SVG), and latency per status class as a table.
import type { LoadSeries, LoadSeriesPoint } from '../core/series.js';
import type { RunRecord } from '../record/run-schema.js';
import {
  checkFailed,
  ms,
  onlySuccess,
  scenarioCheckRows,
  seriesByScenario,
  sidesOf,
  statusClassRows,
  summariseSeries,
  tallyText,
} from './load-figures.js';
import { esc } from './svg.js';
import { type TimeLine, timeChart } from './time-chart.js';

const QUANTILE_DASH = { p50: undefined, p95: '5 3', p99: '1.5 2.5' } as const;
const MAX_SCENARIOS = 16;
const MAX_CLASS_ROWS = 60;

type Colours = Readonly<Record<string, string>>;

const colourOf = (colours: Colours, env: string) => colours[env] ?? '#777';

function scenarioCharts(name: string, list: readonly LoadSeries[], colours: Colours): string {
  const xMax = Math.max(...list.map((s) => (s.points.at(-1)?.t ?? 0) + s.stepS));
  const step = Math.max(...list.map((s) => s.stepS));
  const latency: TimeLine[] = [];
  const rate: TimeLine[] = [];
  for (const s of list) {
    const colour = colourOf(colours, s.environment);
    for (const q of ['p50', 'p95', 'p99'] as const) {
      const dash = QUANTILE_DASH[q];
      latency.push({
        label: `${s.environment} ${q}`,
        colour,
        ...(dash ? { dash } : {}),
        points: s.points.map((p) => [p.t, p.requests > 0 ? p[`${q}Ms`] : undefined]),
      });
    }
    const perSecond = (what: string, pick: (p: LoadSeriesPoint) => number, dash?: string) =>
      rate.push({
        label: `${s.environment} ${what}/s`,
        colour,
        ...(dash ? { dash } : {}),
        points: s.points.map((p) => [p.t, pick(p) / s.stepS]),
      });
    perSecond('requests', (p) => p.requests);
    // Failures and drops only where there were any: six flat lines at zero would hide the rate.
    if (s.points.some((p) => p.failed > 0)) perSecond('failed', (p) => p.failed, '5 3');
    if (s.points.some((p) => p.dropped > 0)) perSecond('dropped', (p) => p.dropped, '1.5 2.5');
  }
  const per = step === 1 ? 'per second' : `per ${step} s`;
  return `<figure>${timeChart(`${name}: latency ${per} (p50 solid, p95 dashed, p99 dotted)`, 'ms', latency, xMax)}</figure><figure>${timeChart(`${name}: requests ${per}`, 'requests/s', rate, xMax)}</figure>`;
}

function summaryTable(list: readonly LoadSeries[]): string {
  const rows = list
    .map(summariseSeries)
    .filter((s) => s !== undefined)
    .map(
      (s) =>
        `<tr><td>${esc(s.scenario)}</td><td>${esc(s.environment)}</td><td class="num">${s.meanRate.toFixed(1)} (${s.peakRate.toFixed(1)})</td><td class="num">${ms(s.typicalP95)} ms</td><td class="num">${ms(s.worstP95.value)} ms at ${s.worstP95.t} s</td><td class="num">${ms(s.worstP99.value)} ms at ${s.worstP99.t} s</td><td class="num">${s.failed}</td><td class="num">${s.dropped}</td></tr>`,
    );
  return `<table><thead><tr><th>Scenario</th><th>Environment</th><th>Requests/s mean (peak)</th><th>p95 typical</th><th>p95 worst</th><th>p99 worst</th><th>Failed</th><th>Dropped</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function seriesHtml(record: Pick<RunRecord, 'series'>, colours: Colours): string {
  const byScenario = [...seriesByScenario(record)].filter(([, list]) =>
    list.some((s) => s.points.length > 0),
  );
  if (byScenario.length === 0)
    return '<p class="muted">No per-second series in this run (the performance suite did not run, or measured nothing).</p>';
  const charts = byScenario
    .slice(0, MAX_SCENARIOS)
    .map(([name, list]) => scenarioCharts(name, list, colours))
    .join('');
  const more =
    byScenario.length > MAX_SCENARIOS
      ? `<p class="muted">${byScenario.length - MAX_SCENARIOS} more scenarios are in run.json.</p>`
      : '';
  return `<p class="muted">Seconds on each scenario's own timeline, so both sides line up whichever A/B block measured them. Each interval counts the requests that completed in it (answered or failed), with their latencies.</p><div class="charts">${charts}</div>${more}${summaryTable(byScenario.flatMap(([, l]) => l))}`;
}

export function statusClassHtml(record: Pick<RunRecord, 'evidence'>): string {
  const rows = statusClassRows(record);
  if (rows.length === 0) return '<p class="muted">No latency by status class in this run.</p>';
  if (onlySuccess(rows)) return '<p>Every answered request was 2xx.</p>';
  const envs = sidesOf(rows);
  const body = rows
    .slice(0, MAX_CLASS_ROWS)
    .map((r) => {
      const cells = envs.map((e) => {
        const f = r.sides[e];
        return f
          ? `<td class="num">${f.n}</td><td class="num">${ms(f.p50)} / ${ms(f.p95)} / ${ms(f.p99)}</td>`
          : '<td>–</td><td>–</td>';
      });
      return `<tr class="${r.statusClass.startsWith('5') ? 'FAIL' : r.statusClass.startsWith('2') ? 'PASS' : 'INCONCLUSIVE'}"><td>${esc(r.scenario)}</td><td>${esc(r.endpoint)}</td><td>${esc(r.statusClass)}</td>${cells.join('')}</tr>`;
    })
    .join('');
  const more =
    rows.length > MAX_CLASS_ROWS
      ? `<p class="muted">${rows.length - MAX_CLASS_ROWS} more rows are in run.json.</p>`
      : '';
  return `<p class="muted">Answered requests only; refused, reset and timed-out requests count in the error rates. A criterion selects a class with <code>{status_class:5xx}</code>.</p><table><thead><tr><th>Scenario</th><th>Endpoint</th><th>Class</th>${envs.map((e) => `<th>${esc(e)} n</th><th>${esc(e)} p50 / p95 / p99 ms</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>${more}`;
}

export function scenarioChecksHtml(record: Pick<RunRecord, 'evidence'>): string {
  const rows = scenarioCheckRows(record);
  if (rows.length === 0) return '<p class="muted">The performance scenarios in this run have no checks.</p>';
  const envs = sidesOf(rows);
  const body = rows
    .slice(0, MAX_CLASS_ROWS)
    .map((r) => {
      const cells = envs.map((e) => {
        const t = r.sides[e];
        return t ? `<td class="num">${tallyText(t)}</td>` : '<td>–</td>';
      });
      return `<tr class="${checkFailed(r) ? 'FAIL' : 'PASS'}"><td>${esc(r.scenario)}</td><td>${esc(r.check)}</td>${cells.join('')}</tr>`;
    })
    .join('');
  const more =
    rows.length > MAX_CLASS_ROWS
      ? `<p class="muted">${rows.length - MAX_CLASS_ROWS} more rows are in run.json.</p>`
      : '';
  return `<p class="muted">How often each check held. A failing check does not fail the run by itself; a threshold on <code>checks</code> or a gate criterion over <code>checks</code> decides.</p><table><thead><tr><th>Scenario</th><th>Check</th>${envs.map((e) => `<th>${esc(e)} held / total</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>${more}`;
}
