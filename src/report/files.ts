// Every file a finished run gets beside its run.json, rendered as strings; record/files.ts writes them.
import type { RunRecord } from '../record/run-schema.js';
import { renderGateReportJson } from './gate-report.js';
import { type HistoryRow, renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';

export interface ReportContext {
  /** Earlier runs, newest first, for the trend chart. */
  history?: readonly HistoryRow[];
}

const RENDERERS: Record<string, (record: RunRecord, context: ReportContext) => string> = {
  'report.md': (record) => renderMarkdown(record),
  'report.html': (record, context) => renderHtml(record, context.history ?? []),
  'report.json': (record) => renderGateReportJson(record),
  'report.junit.xml': (record) => renderJunit(record),
};

/** The report files of a run — all of them, or only those named (`--reporter`), each rendered once. */
export function renderReportFiles(
  record: RunRecord,
  context: ReportContext = {},
  only?: ReadonlySet<string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(RENDERERS)
      .filter(([name]) => !only || only.has(name))
      .map(([name, render]) => [name, render(record, context)]),
  );
}
