// `cutover import k6 --env E RESULT [--run R]`: a k6 result made elsewhere (k6 Cloud's or a CI job's
// JSON output or end-of-test summary) recorded as the performance evidence of one environment, in the
// same run folder `cutover run` writes, so `cutover gate --run` judges load a team ran on its own
// infrastructure. Import the baseline's result, then the target's with `--run` into the same run: the
// two sides pair up like a `cutover perf` run's.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { UserError } from '../../core/errors.js';
import { writeAll } from '../../record/files.js';
import { locateRun, readRun } from '../../record/reader.js';
import { EVENTS_FILE, newRunId, RUN_FILE } from '../../record/recorder.js';
import { RUN_SCHEMA, type RunEvent, type RunRecord } from '../../record/run-schema.js';
import { readK6Result } from '../../runners/k6/k6-result-file.js';
import { SUITE } from '../../suites/performance/evidence.js';
import { importedEvidence } from '../../suites/performance/k6-import.js';
import { TOOL_VERSION } from '../../version.js';
import type { Io } from '../io.js';
import { displayPath } from './run.js';

export interface ImportK6Flags {
  config?: string;
  env: string;
  run?: string;
  service?: string;
  scenario: string;
  json?: boolean;
}

export async function importK6Command(io: Io, file: string, flags: ImportK6Flags): Promise<number> {
  const config = await loadConfig(io.cwd, flags.config);
  const env = config.environments[flags.env];
  if (!env)
    throw new UserError(
      `--env ${flags.env}: the config has no such environment; its environments: ${Object.keys(config.environments).join(', ')}`,
    );
  const ids = Object.keys(config.services);
  const service = flags.service ?? (ids.length === 1 ? ids[0]! : undefined);
  if (!service)
    throw new UserError(`--service is needed: the config has ${ids.length} services (${ids.join(', ')})`);
  if (!config.services[service])
    throw new UserError(
      `--service ${service}: the config has no such service; its services: ${ids.join(', ')}`,
    );
  if (!/^[A-Za-z0-9_.-]+$/.test(flags.scenario))
    throw new UserError(`--scenario ${flags.scenario}: letters, digits, "_", "." and "-" only`);
  const shown = displayPath(io, join(io.cwd, file));
  const result = readK6Result(join(io.cwd, file), flags.scenario, flags.env);
  const now = io.now();
  const at = now.toISOString();
  const { evidence, checks } = importedEvidence(result, {
    scenario: flags.scenario,
    service,
    environment: flags.env,
    file: shown,
    at,
  });
  const environment = {
    name: flags.env,
    kind: env.kind,
    services: Object.entries(env.services).map(([id, s]) => ({ id, url: s.url })),
  };
  let record: RunRecord;
  let dir: string;
  if (flags.run) {
    dir = locateRun(config.reportsPath, flags.run, io.cwd);
    record = readRun(dir);
    const taken = record.evidence.some(
      (e) =>
        e.kind === 'coverage' &&
        e.suite === SUITE &&
        e.environment === flags.env &&
        e.scope === flags.scenario,
    );
    if (taken)
      throw new UserError(
        `--run ${flags.run} already holds ${flags.env}'s results for ${flags.scenario}; import into a new run, or name another --scenario`,
      );
    if (!record.environments.some((e) => e.name === flags.env)) record.environments.push(environment);
    record.checks.push(...checks);
    record.evidence.push(...evidence);
    record.command = `${record.command}; import k6 --env ${flags.env} ${file}`;
    record.finishedAt = at;
  } else {
    const id = newRunId(now, randomBytes(2).toString('hex'));
    dir = join(config.reportsPath, id);
    record = {
      schema: RUN_SCHEMA,
      id,
      command: `import k6 --env ${flags.env} ${file}`,
      startedAt: at,
      finishedAt: at,
      status: 'completed',
      tool: { name: 'cutover', version: TOOL_VERSION, node: io.nodeVersion },
      config: { file: config.configFile, project: config.project },
      environments: [environment],
      services: Object.entries(config.services).map(([sid, s]) => ({
        id: sid,
        tier: s.tier,
        phase: s.phase,
        ...(s.wave ? { wave: s.wave } : {}),
      })),
      faults: [],
      suites: [SUITE],
      suiteEnds: [{ suite: SUITE, status: 'completed', at }],
      checks,
      evidence,
      gates: [],
      notes: [],
    };
  }
  record.notes = [
    ...(record.notes ?? []),
    `imported ${shown} as ${flags.env} (${result.kind === 'json' ? 'k6 JSON output' : `k6 summary, ${result.shape}`})`,
  ];
  // The run as events too, so the folder reads as any run's (cutover report rebuilds from either).
  const {
    checks: cs,
    evidence: ev,
    gates: _g,
    suiteEnds,
    finishedAt: _f,
    status: _s,
    schema: _sc,
    notes: _n,
    ...meta
  } = record;
  const events: RunEvent[] = [
    { type: 'run-start', at: record.startedAt, run: meta },
    ...cs.map((check) => ({ type: 'check' as const, check })),
    ...ev.map((item) => ({ type: 'evidence' as const, evidence: item })),
    ...(suiteEnds ?? []).map((end) => ({ type: 'suite-end' as const, end })),
    { type: 'run-end', at, status: 'completed' },
  ];
  writeAll(dir, {
    [RUN_FILE]: `${JSON.stringify(record, null, 2)}\n`,
    [EVENTS_FILE]: `${events.map((e) => JSON.stringify(e)).join('\n')}\n`,
  });
  const where = displayPath(io, dir);
  const sides = [...new Set(record.evidence.filter((e) => e.suite === SUITE).map((e) => e.environment))];
  if (flags.json)
    io.stdout(`${JSON.stringify({ run: record.id, dir: where, environments: sides, kind: result.kind })}\n`);
  else
    io.stdout(
      `Imported ${shown} as ${flags.env} (${result.kind === 'json' ? `k6 JSON output, ${result.points} points` : `k6 summary (${result.shape}): aggregates only, latency criteria stay INCONCLUSIVE`}) into run ${record.id}\n` +
        `Run: ${where} (environments: ${sides.join(', ')})\n` +
        (sides.length < 2
          ? `Next: import the other side with --run ${record.id}, then cutover gate --phase <gate> --run ${record.id}\n`
          : `Next: cutover gate --phase <gate> --run ${record.id}\n`),
    );
  return 0;
}
