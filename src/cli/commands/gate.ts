// `cutover gate --phase ID [--run R]... [--baseline B]`: evaluate phase gates on recorded evidence —
// one or more runs merged (a performance run and an integration run, say), optionally against a
// recorded baseline instead of the run's own baseline environment — and write the reports.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { incomparability } from '../../baseline/compare.js';
import { readBaseline } from '../../baseline/store.js';
import { loadConfig } from '../../config/load.js';
import { UserError } from '../../core/errors.js';
import { completenessGaps } from '../../core/run-verdict.js';
import { loadGateSetup, selectGates } from '../../engine/gate-loader.js';
import { evaluateGates, judgeRecord, progressOf } from '../../engine/gates.js';
import { writeAll } from '../../record/files.js';
import { readHistory } from '../../record/history.js';
import { listRunDirs, locateRun, readRun } from '../../record/reader.js';
import { newRunId, RUN_FILE } from '../../record/recorder.js';
import { RUN_SCHEMA, type RunRecord } from '../../record/run-schema.js';
import { renderVerdict } from '../../report/console.js';
import { renderJsonSummary } from '../../report/json-summary.js';
import { visible } from '../../report/text.js';
import { TOOL_VERSION } from '../../version.js';
import type { Io } from '../io.js';
import { checkPushUrl, pushRun } from '../push.js';
import { consoleOn, parseReporters, withOutput, writeReports } from '../reporters.js';
import { displayPath, exitCodeFor } from './run.js';

export interface GateFlags {
  config?: string;
  phase?: string[];
  run?: string[];
  baseline?: string;
  json?: boolean;
  verbose?: boolean;
  /** `--reporter LIST`: the reports to produce (default: all). */
  reporter?: string;
  /** `--output DIR`: where the gate's record and reports go (default: the config's reportsDir). */
  output?: string;
  /** `--push URL`: the decision's summary to a Prometheus Pushgateway once recorded (src/cli/push.ts). */
  push?: string;
}

/** Several runs as one body of evidence: checks and evidence concatenated, meta from the newest. */
export function mergeRuns(runs: readonly RunRecord[]): RunRecord {
  const [first, ...rest] = runs;
  if (!first) throw new UserError('no run to evaluate');
  const envs = new Map(first.environments.map((e) => [e.name, e]));
  for (const r of rest) for (const e of r.environments) if (!envs.has(e.name)) envs.set(e.name, e);
  return {
    ...first,
    environments: [...envs.values()],
    checks: runs.flatMap((r) => r.checks),
    evidence: runs.flatMap((r) => r.evidence),
    faults: [...new Set(runs.flatMap((r) => r.faults))],
  };
}

export async function gateCommand(io: Io, flags: GateFlags): Promise<number> {
  if (!flags.phase?.length)
    throw new UserError('--phase is required: a gate id such as 3-rentguy, or a phase 1..5');
  const pushUrl = checkPushUrl(flags.push);
  const config = await loadConfig(io.cwd, flags.config);
  const setup = selectGates(await loadGateSetup(config, io.cwd), flags.phase, '--phase');
  const dirs = flags.run?.length
    ? flags.run.map((r) => locateRun(config.reportsPath, r, io.cwd))
    : listRunDirs(config.reportsPath).slice(0, 1);
  if (dirs.length === 0)
    throw new UserError(`no runs under ${displayPath(io, config.reportsPath)} to evaluate`, {
      hint: 'run `cutover run` (or `cutover demo`) first, or pass --run',
    });
  const runs = dirs.map(readRun);
  const merged = mergeRuns(runs);
  const now = io.now();
  const notes = [`evaluated from run${runs.length > 1 ? 's' : ''} ${runs.map((r) => r.id).join(', ')}`];
  if (flags.baseline) {
    const baseline = readBaseline(config, flags.baseline, io.cwd);
    const incomparable = incomparability(baseline, merged.evidence);
    setup.baseline = {
      label: `baseline "${baseline.name}"`,
      evidence: baseline.evidence,
      checks: baseline.checks,
      ...(incomparable ? { incomparable } : {}),
    };
    notes.push(
      `against recorded baseline ${baseline.name} (from run ${baseline.fromRun}, ${baseline.recordedAt})`,
    );
    if (incomparable) notes.push(`not comparable: ${incomparable}`);
  }
  const gates = evaluateGates(merged, now, setup);
  // A run that did not complete what it planned is incomplete evidence for any gate judged on it.
  const evidenceGaps = runs.flatMap((r) =>
    completenessGaps(progressOf(r)).map((gap) => `run ${r.id}: ${gap}`),
  );
  const record: RunRecord = {
    ...merged,
    schema: RUN_SCHEMA,
    id: newRunId(now, randomBytes(2).toString('hex')),
    command: `gate --phase ${flags.phase.join(',')}`,
    startedAt: now.toISOString(),
    finishedAt: now.toISOString(),
    status: 'completed',
    tool: { name: 'cutover', version: TOOL_VERSION, node: io.nodeVersion },
    gates,
    notes: [...(merged.notes ?? []), ...notes],
    ...(evidenceGaps.length ? { evidenceGaps } : {}),
  };
  delete record.partial;
  // The runs' own plans and suite ends describe them, not this record: their gaps are in evidenceGaps.
  delete record.suites;
  delete record.suiteEnds;
  const judged = judgeRecord(record);
  record.verdict = judged.verdict;
  record.verdictReason = judged.reason;
  const reporters = parseReporters(flags.reporter);
  const under = withOutput(io, config, flags.output).reportsPath;
  const dir = join(under, record.id);
  const history = readHistory(under, 20).entries;
  writeAll(dir, { [RUN_FILE]: `${JSON.stringify(record, null, 2)}\n` });
  if (pushUrl) await pushRun(io, dir, record, pushUrl);
  writeReports(io, dir, record, reporters, { history });
  const shown = displayPath(io, dir);
  if (flags.json) io.stdout(renderJsonSummary(record, shown));
  else if (consoleOn(reporters))
    io.stdout(renderVerdict(record, shown, { colors: io.colors, verbose: flags.verbose === true }));
  if (!flags.json) {
    for (const g of gates)
      if (g.missing?.length)
        io.stdout(
          visible(`Gate ${g.id} lacks evidence:`) +
            g.missing.map((m) => `\n  - ${visible(m)}`).join('') +
            '\n',
        );
  }
  return exitCodeFor(record.verdict!, false);
}
