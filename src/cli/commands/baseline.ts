// `cutover baseline record <run> --name NAME`: keep what later gates need from a run's baseline side
// in baselines/NAME.json, so the target can be judged after the Compose stack is gone.
import { baselineFromRun } from '../../baseline/record.js';
import { writeBaseline } from '../../baseline/store.js';
import { loadConfig } from '../../config/load.js';
import { EXIT, UserError } from '../../core/errors.js';
import { locateRun, readRun } from '../../record/reader.js';
import type { Io } from '../io.js';
import { displayPath } from './run.js';

export interface BaselineFlags {
  config?: string;
  name?: string;
  env?: string;
  json?: boolean;
}

export async function baselineRecordCommand(io: Io, run: string, flags: BaselineFlags): Promise<number> {
  if (!flags.name) throw new UserError('--name is required, such as --name nightly-2026-11-28');
  const config = await loadConfig(io.cwd, flags.config);
  const record = readRun(locateRun(config.reportsPath, run, io.cwd));
  const environment = flags.env ?? 'baseline';
  const baseline = baselineFromRun(record, flags.name, io.now(), environment);
  const metrics = baseline.evidence.filter((e) => e.kind === 'metric').length;
  if (metrics === 0 && baseline.checks.length === 0)
    throw new UserError(`run ${record.id} holds no ${environment} metrics or integration results to record`, {
      hint: 'record a run that included the performance (or integration) suite on the baseline',
    });
  const file = writeBaseline(config, baseline);
  const shown = displayPath(io, file);
  io.stdout(
    flags.json
      ? `${JSON.stringify({ baseline: baseline.name, file: shown, fromRun: record.id, metrics, checks: baseline.checks.length, scenarios: baseline.scenarios })}\n`
      : `Recorded baseline ${baseline.name} from run ${record.id}: ${metrics} metric series, ${baseline.checks.length} integration results, scenarios ${baseline.scenarios.join(', ') || '(none)'}\n${shown}\n`,
  );
  return EXIT.GO;
}
