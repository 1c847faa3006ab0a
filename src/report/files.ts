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

export function renderReportFiles(record: RunRecord, context: ReportContext = {}): Record<string, string> {
  return {
    'report.md': renderMarkdown(record),
    'report.html': renderHtml(record, context.history ?? []),
    'report.json': renderGateReportJson(record),
    'report.junit.xml': renderJunit(record),
  };
}
