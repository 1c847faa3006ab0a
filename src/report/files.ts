// Every file a finished run gets beside its run.json, rendered as strings; record/files.ts writes them.
import type { RunRecord } from '../record/run-schema.js';
import { renderMarkdown } from './markdown.js';

export function renderReportFiles(record: RunRecord): Record<string, string> {
  return { 'report.md': renderMarkdown(record) };
}
