// The load sections of the Markdown report: how each scenario's per-second series went on each side
// (rate, typical and worst p95, when the worst came), and latency per status class, so slow error
// answers are seen apart from the successful ones. The charts are in report.html.
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
import { mdCell } from './text.js';

const MAX_CLASS_ROWS = 40;

function seriesSection(record: Pick<RunRecord, 'series'>): string[] {
  const summaries = [...seriesByScenario(record).values()]
    .flat()
    .map(summariseSeries)
    .filter((s) => s !== undefined);
  if (summaries.length === 0) return [];
  const step = Math.max(...summaries.map((s) => s.stepS));
  const out = [
    '## Performance over time',
    '',
    `Per-${step === 1 ? 'second' : `${step}-second`} series of each scenario (charts in report.html; points in run.json). Each interval counts the requests that completed in it (answered or failed), with their latencies.`,
    '',
    '| Scenario | Environment | Span | Requests/s mean (peak) | p95 typical | p95 worst (at) | p99 worst (at) | Failed | Dropped |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of summaries) {
    out.push(
      `| ${mdCell(s.scenario)} | ${mdCell(s.environment)} | ${s.spanS} s | ${s.meanRate.toFixed(1)} (${s.peakRate.toFixed(1)}) | ${ms(s.typicalP95)} ms | ${ms(s.worstP95.value)} ms (${s.worstP95.t} s) | ${ms(s.worstP99.value)} ms (${s.worstP99.t} s) | ${s.failed} | ${s.dropped} |`,
    );
  }
  out.push('');
  return out;
}

function statusClassSection(record: Pick<RunRecord, 'evidence'>): string[] {
  const rows = statusClassRows(record);
  if (rows.length === 0) return [];
  const out = ['## Latency by status class', ''];
  if (onlySuccess(rows)) {
    out.push('Every answered request was 2xx: the latency charts and criteria above are those answers.', '');
    return out;
  }
  const envs = sidesOf(rows);
  out.push(
    'Answered requests only (refused, reset and timed-out requests have no answer; they count in http_req_failed). Criteria select a class with `{status_class:5xx}`.',
    '',
    `| Scenario | Endpoint | Class | ${envs.map((e) => `${mdCell(e)}: n, p50 / p95 / p99 ms`).join(' | ')} |`,
    `|---|---|---|${envs.map(() => '---|').join('')}`,
  );
  for (const r of rows.slice(0, MAX_CLASS_ROWS)) {
    const cells = envs.map((e) => {
      const f = r.sides[e];
      return f ? `${f.n}: ${ms(f.p50)} / ${ms(f.p95)} / ${ms(f.p99)}` : '–';
    });
    out.push(
      `| ${mdCell(r.scenario)} | ${mdCell(r.endpoint)} | ${mdCell(r.statusClass)} | ${cells.join(' | ')} |`,
    );
  }
  if (rows.length > MAX_CLASS_ROWS)
    out.push('', `${rows.length - MAX_CLASS_ROWS} more rows are in run.json.`);
  out.push('');
  return out;
}

function scenarioChecksSection(record: Pick<RunRecord, 'evidence'>): string[] {
  const rows = scenarioCheckRows(record);
  if (rows.length === 0) return [];
  const envs = sidesOf(rows);
  const failing = rows.filter(checkFailed).length;
  const out = [
    `## Scenario checks (${rows.length}, ${failing} failing)`,
    '',
    "How often each of the performance scenarios' checks held. A failing check does not fail the run by itself; a threshold on `checks` or a gate criterion over `checks` decides.",
    '',
    `| Scenario | Check | ${envs.map((e) => `${mdCell(e)}: held / total`).join(' | ')} |`,
    `|---|---|${envs.map(() => '---|').join('')}`,
  ];
  for (const r of rows.slice(0, MAX_CLASS_ROWS)) {
    const cells = envs.map((e) => {
      const t = r.sides[e];
      return t ? (t.fails > 0 ? `**${tallyText(t)}**` : tallyText(t)) : '–';
    });
    out.push(`| ${mdCell(r.scenario)} | ${mdCell(r.check)} | ${cells.join(' | ')} |`);
  }
  if (rows.length > MAX_CLASS_ROWS)
    out.push('', `${rows.length - MAX_CLASS_ROWS} more rows are in run.json.`);
  out.push('');
  return out;
}

export function loadSections(record: Pick<RunRecord, 'evidence' | 'series'>): string[] {
  return [...seriesSection(record), ...statusClassSection(record), ...scenarioChecksSection(record)];
}
