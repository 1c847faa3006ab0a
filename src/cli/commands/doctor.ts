// `cutover doctor`: what this machine has, and whether the config's endpoints answer.
import pLimit from 'p-limit';
import { loadConfig } from '../../config/load.js';
import { EXIT } from '../../core/errors.js';
import { type ProbeResult, probe } from '../../runners/http/probe.js';
import { checkTools, nodeSupported } from '../../runners/system/tools.js';
import { selectedEnvironments } from '../../suites/selection.js';
import { healthUrl } from '../../suites/smoke/define.js';
import type { Io } from '../io.js';

export interface DoctorFlags {
  config?: string;
  json?: boolean;
  env?: string[];
}

/** answers: a complete answer; too-large: answered with a body over the limit; broken: a status, then
 * the answer broke off; silent: no answer at all (refused, DNS, timeout, TLS). */
type EndpointState = 'answers' | 'too-large' | 'broken' | 'silent';

const STATE_TEXT: Record<EndpointState, string> = {
  answers: 'answers',
  'too-large': 'too large',
  broken: 'broken',
  silent: 'silent',
};

function stateOf(r: ProbeResult): EndpointState {
  if (r.ok) return 'answers';
  if (r.error.kind === 'too-large') return 'too-large';
  return r.status !== undefined ? 'broken' : 'silent';
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
          const r = await probe(healthUrl(url, health.path), {
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
            state: stateOf(r),
            ...(r.status !== undefined ? { status: r.status } : {}),
            detail: r.ok
              ? `HTTP ${r.status} in ${r.elapsedMs} ms`
              : r.error.kind === 'too-large'
                ? `HTTP ${r.status ?? '?'}, a body over the ${config.smoke.maxBodyBytes}-byte limit (smoke.maxBodyBytes)`
                : r.error.message,
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
  // Columns as wide as their longest entry plus two spaces, so no name runs into its mark.
  const rows: [string, boolean, string][] = [
    ['Node.js', nodeOk, `${io.nodeVersion}${nodeOk ? '' : ' (Cutover needs >= 20.19, 22 or 24)'}`],
    ...tools.map((t): [string, boolean, string] => [
      t.name,
      t.found,
      t.found ? (t.version ?? '') : `${t.detail}; needed for ${t.neededFor}`,
    ]),
  ];
  const nameWidth = Math.max(...rows.map(([name]) => name.length)) + 2;
  for (const [name, ok, detail] of rows)
    io.stdout(`${name.padEnd(nameWidth)}${(ok ? 'ok' : 'missing').padEnd(9)}${detail}\n`);
  io.stdout(`\nConfig ${config.configFile}\n`);
  const where = (e: (typeof endpoints)[number]) => `${e.environment}/${e.service}`;
  const stateWidth = Math.max(...endpoints.map((e) => STATE_TEXT[e.state].length), 0) + 2;
  const whereWidth = Math.max(...endpoints.map((e) => where(e).length), 0) + 2;
  for (const e of endpoints)
    io.stdout(
      `  ${STATE_TEXT[e.state].padEnd(stateWidth)}${where(e).padEnd(whereWidth)}${e.url}: ${e.detail}\n`,
    );
  const count = (state: EndpointState) => endpoints.filter((e) => e.state === state).length;
  const answered = count('answers');
  const notes = [
    count('too-large') ? `${count('too-large')} answer with a body over smoke.maxBodyBytes` : '',
    count('broken') ? `${count('broken')} broke off an answer` : '',
    count('silent') ? `${count('silent')} silent (for the simulator, start \`cutover sim\` first)` : '',
  ].filter(Boolean);
  io.stdout(
    `${answered} of ${endpoints.length} endpoints answer${notes.length ? `; ${notes.join('; ')}` : ''}\n`,
  );
  return nodeOk ? EXIT.GO : EXIT.USAGE;
}
