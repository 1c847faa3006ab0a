// `cutover report <run>`: render a recorded run again — also a partial one left by Ctrl-C or a kill.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONFIG_FILE_NAMES, loadConfig, type ResolvedConfig } from '../../config/load.js';
import { EXIT } from '../../core/errors.js';
import { builtinSetup, loadGateSetup } from '../../engine/gate-loader.js';
import { evaluateGates, judgeRecord } from '../../engine/gates.js';
import { locateRun, readRun } from '../../record/reader.js';
import { renderVerdict } from '../../report/console.js';
import { renderJsonSummary } from '../../report/json-summary.js';
import type { Io } from '../io.js';
import { consoleOn, parseReporters, writeReports } from '../reporters.js';
import { displayPath } from './run.js';

export interface ReportFlags {
  config?: string;
  json?: boolean;
  verbose?: boolean;
  /** `--reporter LIST`: the reports to produce (default: all). */
  reporter?: string;
  /** `--output DIR`: the folder the reports are written to (default: the run's own folder). */
  output?: string;
}

/** The project's config when there is one (its reports folder and gates), else none: a bare folder works too. */
async function projectConfig(io: Io, flags: ReportFlags): Promise<ResolvedConfig | undefined> {
  const hasConfig = flags.config || CONFIG_FILE_NAMES.some((n) => existsSync(join(io.cwd, n)));
  return hasConfig ? loadConfig(io.cwd, flags.config) : undefined;
}

export async function reportCommand(io: Io, run: string, flags: ReportFlags): Promise<number> {
  const config = await projectConfig(io, flags);
  const dir = locateRun(config?.reportsPath ?? join(io.cwd, 'reports'), run, io.cwd);
  const record = readRun(dir);
  if (record.gates.length === 0 && (record.checks.length > 0 || record.evidence.length > 0)) {
    // A run killed before its gates were evaluated: evaluate them now from the evidence it recorded,
    // with the project's own gates when it has them.
    const setup = config ? await loadGateSetup(config, io.cwd) : await builtinSetup();
    record.gates = evaluateGates(record, io.now(), setup);
  }
  // Judged again from what the record holds, so a run that did not complete is never shown GO
  // (core/run-verdict.ts), and a record from an earlier version is judged by today's rule.
  const judged = judgeRecord(record);
  record.verdict = judged.verdict;
  record.verdictReason = judged.reason;
  const reporters = parseReporters(flags.reporter);
  const out = flags.output === undefined ? dir : resolve(io.cwd, flags.output);
  writeReports(io, out, record, reporters);
  const shown = displayPath(io, out);
  if (flags.json) io.stdout(renderJsonSummary(record, shown));
  else if (consoleOn(reporters))
    io.stdout(renderVerdict(record, shown, { colors: io.colors, verbose: flags.verbose === true }));
  return EXIT.GO;
}
