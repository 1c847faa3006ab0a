// `cutover baseline record <run> --name NAME`: keep what later gates need from a run's baseline side
// in baselines/NAME.json, so the target can be judged after the Compose stack is gone, and the
// integration noise learned so far, so later runs (`cutover run --noise-from NAME`) need not learn it anew.
import type { StepNoise } from '../../baseline/format.js';
import { BASELINE_SCHEMA } from '../../baseline/format.js';
import { baselineFromRun, mergeNoise, noiseFromRun } from '../../baseline/record.js';
import { existingBaseline, writeBaseline } from '../../baseline/store.js';
import { loadConfig, type ResolvedConfig } from '../../config/load.js';
import { EXIT, UserError } from '../../core/errors.js';
import { locateRun, readRun } from '../../record/reader.js';
import { TOOL_VERSION } from '../../version.js';
import type { Io } from '../io.js';
import { displayPath } from './run.js';

export interface BaselineFlags {
  config?: string;
  name?: string;
  env?: string;
  /** The run compared two copies of the same system: its parity differences are noise too. */
  aa?: boolean;
  /** Start the noise afresh instead of keeping what the baseline of this name learned before. */
  forgetNoise?: boolean;
  json?: boolean;
  /** Also record the environment's Prometheus traffic over this span, by hour of the week. */
  traffic?: string;
}

export async function baselineRecordCommand(
  io: Io,
  run: string | undefined,
  flags: BaselineFlags,
): Promise<number> {
  if (!flags.name) throw new UserError('--name is required, such as --name nightly-2026-11-28');
  const config = await loadConfig(io.cwd, flags.config);
  if (flags.traffic !== undefined)
    return baselineTrafficCommand(io, config, run, { ...flags, name: flags.name });
  if (run === undefined)
    throw new UserError('expected a run to record (or --traffic SPAN for Prometheus figures only)');
  const record = readRun(locateRun(config.reportsPath, run, io.cwd));
  const environment = flags.env ?? 'baseline';
  const learned = noiseFromRun(record, environment, flags.aa === true);
  const earlier = flags.forgetNoise ? [] : earlierNoise(config, flags.name);
  const noise = mergeNoise(earlier, learned.noise);
  const baseline = baselineFromRun(record, flags.name, io.now(), environment, noise);
  const metrics = baseline.evidence.filter((e) => e.kind === 'metric').length;
  if (metrics === 0 && baseline.checks.length === 0)
    throw new UserError(`run ${record.id} holds no ${environment} metrics or integration results to record`, {
      hint: 'record a run that included the performance (or integration) suite on the baseline',
    });
  const file = writeBaseline(config, baseline);
  const shown = displayPath(io, file);
  const paths = (list: typeof noise) => list.reduce((n, s) => n + s.paths.length, 0);
  const kept = paths(noise) - paths(mergeNoise(learned.noise));
  const noiseLine = `noise: ${paths(noise)} paths in ${noise.length} steps${kept > 0 ? ` (${kept} kept from the earlier ${baseline.name})` : ''}`;
  // What an A/A run showed but cannot be taken as noise: a person decides (an ignore rule, or a fix).
  const unlearnable = learned.unlearnable.length
    ? `\nNot learnable as noise (not a value or an order; ignore them in the scenario if they are):\n${learned.unlearnable.map((u) => `  - ${u}`).join('\n')}`
    : '';
  io.stdout(
    flags.json
      ? `${JSON.stringify({ baseline: baseline.name, file: shown, fromRun: record.id, metrics, checks: baseline.checks.length, scenarios: baseline.scenarios, noise: paths(noise), unlearnable: learned.unlearnable })}\n`
      : `Recorded baseline ${baseline.name} from run ${record.id}: ${metrics} metric series, ${baseline.checks.length} integration results, scenarios ${baseline.scenarios.join(', ') || '(none)'}; ${noiseLine}${unlearnable}\n${shown}\n`,
  );
  return EXIT.GO;
}

/** The noise the baseline of this name learned before; one that cannot be read is said, not overwritten. */
function earlierNoise(config: ResolvedConfig, name: string): StepNoise[] {
  try {
    return existingBaseline(config, name)?.noise ?? [];
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    throw new UserError(`${error.message}: its learned noise cannot be kept`, {
      details: error.details,
      hint: '--forget-noise records the baseline anew without it',
    });
  }
}

/** `--traffic SPAN`: the environment's Prometheus figures by hour of the week, into the baseline (with a run's evidence when one is named). */
async function baselineTrafficCommand(
  io: Io,
  config: ResolvedConfig,
  run: string | undefined,
  flags: BaselineFlags & { name: string },
): Promise<number> {
  const environment = flags.env ?? 'baseline';
  if (!config.environments[environment])
    throw new UserError(
      `--env ${environment}: unknown environment; known: ${Object.keys(config.environments).join(', ')}`,
    );
  const spanMs = spanOf(flags.traffic!);
  const { recordTraffic } = await import('../../suites/post-cutover/record-traffic.js');
  const recorded = await recordTraffic(config, environment, spanMs, io.now().getTime(), io.env);
  const earlier = existingBaseline(config, flags.name);
  const fromRun = run
    ? baselineFromRun(
        readRun(locateRun(config.reportsPath, run, io.cwd)),
        flags.name,
        io.now(),
        environment,
        earlier?.noise ?? [],
      )
    : undefined;
  const base = fromRun ??
    earlier ?? {
      schema: BASELINE_SCHEMA,
      name: flags.name,
      recordedAt: io.now().toISOString(),
      fromRun: '',
      runStartedAt: io.now().toISOString(),
      tool: { name: 'cutover', version: TOOL_VERSION, node: io.nodeVersion },
      config: { project: config.project, file: config.configFile },
      environment,
      scenarios: [],
      profile: {},
      evidence: [],
      checks: [],
      noise: [],
    };
  const file = writeBaseline(config, {
    ...base,
    recordedAt: io.now().toISOString(),
    traffic: recorded.traffic,
  });
  const lines = recorded.summary.map(
    (s) =>
      `  ${s.service}: ${s.hours} hour(s) with traffic${s.skipped ? `, ${s.skipped} without (${s.reason})` : ''}`,
  );
  io.stdout(
    flags.json
      ? `${JSON.stringify({ baseline: flags.name, file: displayPath(io, file), environment, queries: recorded.queries, services: recorded.summary })}\n`
      : `Recorded ${environment}'s traffic from ${recorded.traffic.prometheus} (${recorded.traffic.from} to ${recorded.traffic.to}) into baseline ${flags.name}, ${recorded.queries} queries:\n${lines.join('\n')}\n${displayPath(io, file)}\n`,
  );
  return Object.keys(recorded.traffic.services).length > 0 ? EXIT.GO : EXIT.INCONCLUSIVE;
}

/** `7d`, `4w`, `12h`: the span of Prometheus history to record. */
function spanOf(text: string): number {
  const m = /^(\d+)(h|d|w)$/.exec(text.trim());
  if (!m || Number(m[1]) < 1) throw new UserError(`--traffic ${text}: expected a span such as 12h, 7d or 4w`);
  return Number(m[1]) * { h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as 'h' | 'd' | 'w'];
}
