// `cutover k6 build [--out DIR]`: the performance scenarios as k6 scripts, one bundle per scenario, for
// people who run k6 themselves (locally, in CI, or through the k6-operator).
import { relative, resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { UserError } from '../../core/errors.js';
import { buildK6Scripts } from '../../runners/k6/build.js';
import { loadModules } from '../../suites/performance/plan.js';
import type { Io } from '../io.js';

export interface K6BuildFlags {
  config?: string;
  out: string;
  scenario?: string[];
  scenarioFile?: string[];
  json?: boolean;
}

export async function k6BuildCommand(io: Io, flags: K6BuildFlags): Promise<number> {
  const config = await loadConfig(io.cwd, flags.config);
  const modules = await loadModules(config, {
    ...(flags.scenario ? { scenarios: flags.scenario } : {}),
    ...(flags.scenarioFile ? { scenarioFiles: flags.scenarioFile.map((f) => resolve(io.cwd, f)) } : {}),
  });
  const outDir = resolve(io.cwd, flags.out);
  let built: Awaited<ReturnType<typeof buildK6Scripts>>;
  try {
    built = await buildK6Scripts(modules, outDir);
  } catch (error) {
    throw new UserError(`k6 build failed: ${(error as Error).message.split('\n')[0]}`);
  }
  const shown = (f: string) => relative(io.cwd, f) || f;
  if (flags.json) {
    io.stdout(
      `${JSON.stringify({ outDir: shown(outDir), scripts: built.map((b) => ({ ...b, file: shown(b.file) })) })}\n`,
    );
    return 0;
  }
  const lines = built.map(
    (b) =>
      `  ${shown(b.file).padEnd(36)} ${String(b.bytes).padStart(7)} bytes  imports ${b.imports.join(', ')}`,
  );
  io.stdout(
    `Built ${built.length} k6 script(s):\n${lines.join('\n')}\n\n` +
      `Run one with k6 (the base URL picks the environment):\n  k6 run -e CUTOVER_BASE_URL=${config.environments.baseline?.services[modules[0]?.scenario.service ?? '']?.url ?? 'http://…'} ${shown(built[0]?.file ?? '')}\n` +
      'or let cutover run them on both environments: cutover perf --engine k6\n',
  );
  return 0;
}
