// `--reporter LIST` and `--output DIR`, as Playwright's and Vitest's runners offer them: which outputs a
// finished run gets, and where its folder goes. The renderers (src/report/) return strings; this picks
// among them and hands the files to record/files.ts, the one place that writes. The run's record
// (run.json, events.jsonl) is written whatever is chosen: a reporter choice never loses results.
import { resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { writeAll } from '../record/files.js';
import type { RunRecord } from '../record/run-schema.js';
import { type ReportContext, renderReportFiles } from '../report/files.js';
import { REPORTER_NAMES } from './command-kit.js';
import type { Io } from './io.js';
import { appendStepSummary } from './step-summary.js';

export type ReporterName = (typeof REPORTER_NAMES)[number];

/** Each reporter and the file it writes into the run's folder (console and github write elsewhere). */
export const REPORTERS: Record<ReporterName, string> = {
  console: 'the verdict and its reasons on stdout',
  md: 'report.md',
  html: 'report.html',
  json: 'report.json',
  junit: 'report.junit.xml',
  github: 'the go/no-go summary appended to $GITHUB_STEP_SUMMARY',
};
const FILE_REPORTERS = ['md', 'html', 'json', 'junit'] as const;

export interface ReporterChoice {
  reporters: ReadonlySet<ReporterName>;
  /** Whether the list was given (an explicit `github` without GITHUB_STEP_SUMMARY is worth a note). */
  explicit: boolean;
}

/** Parses `--reporter`; an unknown name is a usage error naming the flag and the names there are. */
export function parseReporters(list: string | undefined): ReporterChoice {
  if (list === undefined) return { reporters: new Set(REPORTER_NAMES), explicit: false };
  const names = list
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UserError('--reporter: expected at least one reporter');
  for (const n of names)
    if (!(REPORTER_NAMES as readonly string[]).includes(n))
      throw new UserError(`--reporter ${n}: unknown reporter; expected ${REPORTER_NAMES.join(', ')}`);
  return { reporters: new Set(names as ReporterName[]), explicit: true };
}

/** The config with `--output DIR` (relative to where cutover runs) as its reports folder, when given. */
export function withOutput<C extends { reportsPath: string }>(
  io: Io,
  config: C,
  output: string | undefined,
): C {
  return output === undefined ? config : { ...config, reportsPath: resolve(io.cwd, output) };
}

/**
 * Writes the chosen report files into `dir` and appends the step summary. The console reporter is the
 * command's own printout (it needs the path it shows); `consoleOn` says whether to print it.
 */
export function writeReports(
  io: Io,
  dir: string,
  record: RunRecord,
  choice: ReporterChoice,
  context: ReportContext = {},
): void {
  const wanted = new Set(FILE_REPORTERS.filter((r) => choice.reporters.has(r)).map((r) => REPORTERS[r]));
  if (wanted.size > 0) writeAll(dir, renderReportFiles(record, context, wanted));
  if (choice.reporters.has('github')) {
    if (io.env.GITHUB_STEP_SUMMARY) appendStepSummary(io, record);
    else if (choice.explicit)
      io.stderr(
        'cutover: --reporter github: GITHUB_STEP_SUMMARY is not set, so there is no summary to append to\n',
      );
  }
}

/** Whether the command prints its console summary (`--json` replaces it with one JSON object). */
export const consoleOn = (choice: ReporterChoice): boolean => choice.reporters.has('console');
