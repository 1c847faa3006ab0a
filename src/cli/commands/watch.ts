// `cutover watch`: after cutover, the target's traffic against the Compose baseline, every interval,
// until `--for` has passed or a service breaches `--rollback-after` evaluations in a row. Thin: flags
// into the watch's options, the live view, the reports; the watching is the post-cutover suite's
// (src/suites/post-cutover/), run through src/engine/watch.ts as `cutover demo` runs it.
// Exit codes: 0 healthy, 1 rollback recommended, 3 inconclusive (no traffic, no data, errors), 2 usage,
// 130 interrupted before a decision.
import { randomBytes } from 'node:crypto';
import { readBaseline } from '../../baseline/store.js';
import { loadConfig } from '../../config/load.js';
import { EXIT, UserError } from '../../core/errors.js';
import { parseDuration } from '../../core/load/profile.js';
import { loadGateSetup } from '../../engine/gate-loader.js';
import { runWatch } from '../../engine/watch.js';
import { readHistory } from '../../record/history.js';
import { newRunId } from '../../record/recorder.js';
import { jsonText, visible } from '../../report/text.js';
import type { WatchOptions } from '../../suites/post-cutover/define.js';
import { describeWatch, planWatch } from '../../suites/post-cutover/plan.js';
import { selectedEnvironments, selectedServices } from '../../suites/selection.js';
import type { Io } from '../io.js';
import { checkPushUrl, pushRun } from '../push.js';
import { parseReporters, withOutput, writeReports } from '../reporters.js';
import { WatchView } from '../watch-view.js';
import { displayPath } from './run.js';

export interface WatchFlags {
  config?: string;
  /** `--push URL`: the watch's summary to a Prometheus Pushgateway once recorded (src/cli/push.ts). */
  push?: string;
  env?: string[];
  service?: string[];
  baseline?: string;
  for?: string;
  interval?: string;
  rollbackAfter?: string;
  metricsListen?: string;
  metrics?: boolean;
  dryRun?: boolean;
  json?: boolean;
  /** `--reporter LIST`: the reports to produce (default: all). */
  reporter?: string;
  /** `--output DIR`: where the run's folder goes (default: the config's reportsDir). */
  output?: string;
}

function durationFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  try {
    const ms = parseDuration(text);
    if (ms > 0) return ms;
  } catch {
    // Said below, with the flag's name.
  }
  throw new UserError(`${flag} ${text}: expected a duration such as 30s, 5m or 24h`);
}

export function watchOptions(flags: WatchFlags): WatchOptions {
  const limit = flags.rollbackAfter === undefined ? undefined : Number(flags.rollbackAfter);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1))
    throw new UserError(`--rollback-after ${flags.rollbackAfter}: expected a whole number of at least 1`);
  const intervalMs = durationFlag('--interval', flags.interval);
  const forMs = durationFlag('--for', flags.for);
  return {
    ...(intervalMs !== undefined ? { intervalMs } : {}),
    ...(forMs !== undefined ? { forMs } : {}),
    ...(limit !== undefined ? { failureLimit: limit } : {}),
    ...(flags.baseline ? { baselineName: flags.baseline } : {}),
    ...(flags.metrics === false
      ? { metricsListen: false as const }
      : flags.metricsListen
        ? { metricsListen: flags.metricsListen }
        : {}),
  };
}

const EXIT_FOR = { healthy: EXIT.GO, rollback: EXIT.NO_GO, inconclusive: EXIT.INCONCLUSIVE } as const;

export async function watchCommand(io: Io, flags: WatchFlags): Promise<number> {
  const reporters = parseReporters(flags.reporter);
  const pushUrl = checkPushUrl(flags.push);
  const loaded = await loadConfig(io.cwd, flags.config);
  const config = withOutput(io, loaded, flags.output);
  const options = watchOptions(flags);
  if (flags.baseline) {
    const recorded = readBaseline(config, flags.baseline, io.cwd);
    if (!recorded.traffic)
      throw new UserError(`baseline ${recorded.name} holds no traffic figures to watch against`, {
        hint: `cutover baseline record --name ${recorded.name} --traffic 7d records them from the baseline's Prometheus`,
      });
    options.reference = recorded.traffic;
  }
  const selection = {
    ...(flags.env ? { environments: flags.env } : {}),
    ...(flags.service ? { services: flags.service } : {}),
  };
  const plan = planWatch(
    config,
    { environments: selectedEnvironments(config, selection), services: selectedServices(config, selection) },
    options,
  );
  if (flags.dryRun) {
    io.stdout(`${describeWatch(plan)}Dry run: nothing was sent.\n`);
    return EXIT.GO;
  }
  const view = new WatchView(io, plan.failureLimit, flags.json === true);
  const result = await runWatch({
    config,
    gates: await loadGateSetup(config, io.cwd),
    runId: newRunId(io.now(), randomBytes(2).toString('hex')),
    selection,
    signal: io.signal,
    now: io.now,
    nodeVersion: io.nodeVersion,
    env: io.env,
    watch: {
      ...options,
      onEvaluation: (v) => view.show(v),
      onMetricsListening: (url) => {
        if (!flags.json) io.stderr(`Watch metrics: ${url}/metrics\n`);
      },
    },
    onStart: ({ dir }) => {
      if (!flags.json) io.stderr(`Recording to ${displayPath(io, dir)}\n${describeWatch(plan)}`);
    },
    onLog: (line) => {
      if (!flags.json) io.stderr(`${visible(line)}\n`);
    },
  });
  if (pushUrl) await pushRun(io, result.dir, result.record, pushUrl);
  writeReports(io, result.dir, result.record, reporters, {
    history: readHistory(config.reportsPath, 20).entries,
  });
  const dir = displayPath(io, result.dir);
  const interrupted = result.interrupted && result.decision !== 'rollback';
  if (flags.json)
    io.stdout(
      `${jsonText({ decision: result.decision, reason: result.reason, interrupted, run: result.record.id, dir, verdict: result.verdict })}\n`,
    );
  else {
    const head =
      result.decision === 'rollback'
        ? 'ROLLBACK recommended'
        : result.decision === 'healthy'
          ? 'HEALTHY'
          : 'INCONCLUSIVE';
    io.stdout(
      `${head}${interrupted ? ' (interrupted)' : ''}: ${visible(result.reason)}\nRun: ${dir} (cutover gate --phase 5 --run ${result.record.id})\n`,
    );
  }
  if (interrupted) return EXIT.INTERRUPTED;
  return EXIT_FOR[result.decision];
}
