// `cutover doctor`: what this machine has, and whether the config's endpoints answer.
import pLimit from 'p-limit';
import { loadConfig } from '../../config/load.js';
import { EXIT } from '../../core/errors.js';
import { selectedEnvironments } from '../../engine/plan.js';
import { probe } from '../../runners/http/probe.js';
import { checkTools, nodeSupported } from '../../runners/system/tools.js';
import type { Io } from '../io.js';

export interface DoctorFlags {
  config?: string;
  json?: boolean;
  env?: string[];
}

export async function doctorCommand(io: Io, flags: DoctorFlags): Promise<number> {
  const nodeOk = nodeSupported(io.nodeVersion);
  const tools = await checkTools();
  const config = await loadConfig(io.cwd, flags.config);
  const limit = pLimit(config.smoke.concurrency);
  const endpoints = await Promise.all(
    selectedEnvironments(config, flags.env ? { environments: flags.env } : {}).flatMap((envName) => {
      const env = config.environments[envName]!;
      return Object.entries(env.services).map(([id, { url }]) =>
        limit(async () => {
          const health = config.services[id]!.health;
          const r = await probe(url.replace(/\/+$/, '') + health.path, {
            timeoutMs: Math.min(config.smoke.timeoutMs, 3000),
            maxBodyBytes: config.smoke.maxBodyBytes,
            pins: env.resolve,
            signal: io.signal,
          });
          return {
            environment: envName,
            service: id,
            url,
            answered: r.ok,
            detail: r.ok ? `HTTP ${r.status} in ${r.elapsedMs} ms` : r.error.message,
          };
        }),
      );
    }),
  );
  if (flags.json) {
    io.stdout(
      `${JSON.stringify({ node: { version: io.nodeVersion, supported: nodeOk }, tools, config: config.configFile, endpoints })}\n`,
    );
    return nodeOk ? EXIT.GO : EXIT.USAGE;
  }
  const mark = (ok: boolean) => (ok ? 'ok     ' : 'missing');
  io.stdout(
    `Node.js   ${mark(nodeOk)} ${io.nodeVersion}${nodeOk ? '' : ' (Cutover needs >= 20.19, 22 or 24)'}\n`,
  );
  for (const t of tools)
    io.stdout(
      `${t.name.padEnd(10)}${mark(t.found)} ${t.found ? t.version : `${t.detail}; needed for ${t.neededFor}`}\n`,
    );
  io.stdout(`\nConfig ${config.configFile}\n`);
  const answered = endpoints.filter((e) => e.answered).length;
  for (const e of endpoints)
    io.stdout(
      `  ${e.answered ? 'answers' : 'silent '} ${e.environment}/${e.service} ${e.url}: ${e.detail}\n`,
    );
  io.stdout(
    `${answered} of ${endpoints.length} endpoints answer${answered < endpoints.length ? ' (for the simulator, start `cutover sim` first)' : ''}\n`,
  );
  return nodeOk ? EXIT.GO : EXIT.USAGE;
}
