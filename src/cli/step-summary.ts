// GitHub Actions job summaries: when GITHUB_STEP_SUMMARY names a file, the go/no-go Markdown is
// appended to it, so a nightly parity run shows its verdict on the run's page.

import { appendLine } from '../record/files.js';
import type { RunRecord } from '../record/run-schema.js';
import { renderGateMarkdown } from '../report/gate-markdown.js';
import type { Io } from './io.js';

export function appendStepSummary(io: Io, record: RunRecord): void {
  const file = io.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  try {
    appendLine(file, renderGateMarkdown(record));
  } catch (error) {
    // The summary is a convenience: failing to write it must not change the verdict or lose the run.
    io.stderr(`cutover: could not append to GITHUB_STEP_SUMMARY (${file}): ${(error as Error).message}\n`);
  }
}
