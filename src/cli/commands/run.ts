// `cutover run`: run the suites against the configured environments and evaluate the gates.
import { randomBytes } from 'node:crypto';
import { relative } from 'node:path';
import { readBaseline } from '../../baseline/store.js';
import { loadConfig, type ResolvedConfig } from '../../config/load.js';
import { EXIT } from '../../core/errors.js';
import type { FaultSpec } from '../../core/faults.js';
import type { Verdict } from '../../core/model.js';
import { type ExecuteResult, execute } from '../../engine/execute.js';
import { loadGateSetup, selectGates } from '../../engine/gate-loader.js';
import { readHistory } from '../../record/history.js';
import { newRunId } from '../../record/recorder.js';
import { renderVerdict } from '../../report/console.js';
import { renderJsonSummary } from '../../report/json-summary.js';
import type { SuiteOptions } from '../../suites/suite.js';
import type { Io } from '../io.js';
import { Progress } from '../progress.js';
import { checkPushUrl, pushRun } from '../push.js';
import { consoleOn, parseReporters, withOutput, writeReports } from '../reporters.js';

export interface RunFlags {
  config?: string;
  env?: string[];
  service?: string[];
  suite?: string[];
  /** Gates to judge the run by (`--gate 3-rentguy`); default: every gate, those its suites serve judge it. */
  gate?: string[];
  /** A recorded baseline whose learned integration noise this run starts from. */
  noiseFrom?: string;
  json?: boolean;
  verbose?: boolean;
  /** `--reporter LIST`: the reports to produce (default: all). */
  reporter?: string;
  /** `--output DIR`: where the run's folder goes (default: the config's reportsDir). */
  output?: string;
  /** `--push URL`: the run's summary to a Prometheus Pushgateway once recorded (src/cli/push.ts). */
  push?: string;
}

export function exitCodeFor(verdict: Verdict, interrupted: boolean): number {
  if (interrupted) return EXIT.INTERRUPTED;
  return verdict === 'GO' ? EXIT.GO : verdict === 'NO-GO' ? EXIT.NO_GO : EXIT.INCONCLUSIVE;
}

export function displayPath(io: Io, path: string): string {
  const rel = relative(io.cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** Runs, records and prints; shared by `run` and `demo`. */
export async function runAndReport(
  io: Io,
  loaded: ResolvedConfig,
  flags: RunFlags,
  command: string,
  faults: readonly FaultSpec[] = [],
  suiteOptions: SuiteOptions = {},
): Promise<{ result: ExecuteResult; exitCode: number }> {
  const reporters = parseReporters(flags.reporter);
  const pushUrl = checkPushUrl(flags.push);
  const config = withOutput(io, loaded, flags.output);
  const progress = new Progress(io, flags.json === true);
  const setup = await loadGateSetup(config, io.cwd);
  const gates = flags.gate?.length ? selectGates(setup, flags.gate, '--gate') : setup;
  const result = await execute({
    gates,
    config,
    command,
    runId: newRunId(io.now(), randomBytes(2).toString('hex')),
    selection: {
      ...(flags.env ? { environments: flags.env } : {}),
      ...(flags.service ? { services: flags.service } : {}),
      ...(flags.suite ? { suites: flags.suite } : {}),
    },
    faults,
    signal: io.signal,
    now: io.now,
    nodeVersion: io.nodeVersion,
    env: io.env,
    suiteOptions,
    onStart: ({ dir, totalChecks, suites }) => progress.start(totalChecks, displayPath(io, dir), suites),
    onCheck: (check) => progress.check(check),
    onLog: (line) => progress.log(line),
  });
  progress.end();
  if (pushUrl) await pushRun(io, result.dir, result.record, pushUrl);
  const history = readHistory(config.reportsPath, 20).entries;
  writeReports(io, result.dir, result.record, reporters, { history });
  const dir = displayPath(io, result.dir);
  if (flags.json) io.stdout(renderJsonSummary(result.record, dir));
  else if (consoleOn(reporters))
    io.stdout(renderVerdict(result.record, dir, { colors: io.colors, verbose: flags.verbose === true }));
  return { result, exitCode: exitCodeFor(result.verdict, result.interrupted) };
}

export async function runCommand(io: Io, flags: RunFlags): Promise<number> {
  const config = await loadConfig(io.cwd, flags.config);
  // Read before anything runs, so a misspelt name stops the run with the names that exist.
  const recorded = flags.noiseFrom ? readBaseline(config, flags.noiseFrom, io.cwd) : undefined;
  const options = recorded
    ? { integration: { learnedNoise: recorded.noise, learnedFrom: recorded.name } }
    : {};
  const { exitCode } = await runAndReport(io, config, flags, 'run', [], options);
  return exitCode;
}
