// A team's existing k6 script in the performance suite (`cutover perf --k6-script FILE`): planned like a
// scenario — one service's URL per environment, the A/B blocks, the safety limits — and judged like one:
// its requests grouped by k6's `name` tag become the same evidence as Cutover's scenarios, and its own
// `options.thresholds` become threshold checks, which the gates' scenario-thresholds criterion blocks on.
import { basename, extname, relative } from 'node:path';
import type { ResolvedConfig } from '../../config/load.js';
import { UserError } from '../../core/errors.js';
import { type Profile, peakLevel, toProfile } from '../../core/load/profile.js';
import type { PerformanceScenario } from '../../core/load/scenario.js';
import type { ScenarioModule, UserK6Script } from '../../runners/load/engine-input.js';
import type { PerformanceLimits, PerformanceOptions } from './settings.js';

/** The name a script's evidence is tagged with (`scenario`): its file name, as k6 users call a test. */
export function scriptName(file: string): string {
  return basename(file, extname(file)).replace(/[^A-Za-z0-9_.-]+/g, '-');
}

/** The service a script loads: the one named, or the config's only one. */
function serviceFor(config: ResolvedConfig, wanted: string | undefined): string {
  const ids = Object.keys(config.services);
  if (wanted) {
    if (!config.services[wanted])
      throw new UserError(
        `--service ${wanted}: the config has no such service; its services: ${ids.join(', ')}`,
      );
    return wanted;
  }
  if (ids.length === 1) return ids[0]!;
  throw new UserError(
    `--k6-script needs --service: the config has ${ids.length} services (${ids.join(', ')}), and the script's __ENV.CUTOVER_BASE_URL is one service's URL`,
  );
}

/** Hostnames of every service URL an environment names: where a script's requests may go there. */
function hostsOf(config: ResolvedConfig): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(config.environments).map(([name, env]) => [
      name,
      [...new Set(Object.values(env.services).map((s) => new URL(s.url).hostname.toLowerCase()))],
    ]),
  );
}

/** The user's scripts as the plan's modules: a scenario naming each and its service, plus the script. */
export async function userScriptModules(
  config: ResolvedConfig,
  options: PerformanceOptions,
  processEnv: Readonly<Record<string, string | undefined>>,
): Promise<ScenarioModule[]> {
  const files = options.k6Scripts ?? [];
  if (files.length === 0) return [];
  if (options.duration !== undefined || options.scale !== undefined)
    throw new UserError(
      '--duration and --scale do not apply to --k6-script: the script runs its own options; shorten or scale them there',
    );
  const { readUserScript } = await import('../../runners/k6/user-script.js');
  const service = serviceFor(config, options.k6Service);
  const names = options.k6Env ?? [];
  const firstUrl = Object.values(config.environments)
    .map((e) => e.services[service]?.url)
    .find(Boolean);
  const modules: ScenarioModule[] = [];
  for (const f of files) {
    const read = await readUserScript(f, {
      ...Object.fromEntries(names.flatMap((k) => (processEnv[k] !== undefined ? [[k, processEnv[k]!]] : []))),
      ...(firstUrl ? { CUTOVER_BASE_URL: firstUrl } : {}),
    });
    const name = scriptName(read.file);
    if (modules.some((m) => m.scenario.name === name))
      throw new UserError(`--k6-script ${f}: another script is also named ${name}`);
    const script: UserK6Script = { ...read, allowedHosts: hostsOf(config) };
    // Only names the script and its service: the script itself says what to send.
    const scenario = {
      name,
      description: `k6 script ${relative(config.rootDir, read.file) || read.file}`,
      service,
      executor: { executor: 'constant-vus', vus: 1, duration: '1s' },
      requests: [],
      ...(names.length > 0 ? { env: names } : {}),
    } as unknown as PerformanceScenario;
    modules.push({ scenario, file: read.file, k6Script: script });
  }
  return modules;
}

/**
 * The script's timeline for the plan: from 0 to its last scenario's end, at its total VUs; a script
 * with an iteration-based scenario runs whole (its maxDuration, k6's default 10m, bounds it).
 */
export function userScriptProfile(
  script: UserK6Script,
  scenarios: Record<string, Record<string, unknown>>,
): Profile {
  let endMs = 0;
  let vus = 0;
  const spans: Array<[number, number]> = [];
  for (const sc of Object.values(scenarios)) {
    const start = sc.startTime ? toMs(sc.startTime) : 0;
    if (script.windowable) {
      // biome-ignore lint/suspicious/noExplicitAny: checked when the script was read
      const p = toProfile(sc as any);
      spans.push([start, start + p.durationMs]);
      endMs = Math.max(endMs, start + p.durationMs);
      vus += p.maxVUs;
    } else {
      endMs = Math.max(endMs, start + toMs(sc.maxDuration ?? sc.duration ?? '10m'));
      vus += Number(sc.maxVUs ?? sc.vus ?? sc.preAllocatedVUs ?? 1);
    }
  }
  const segments = (script.windowable ? spans : [[0, endMs] as [number, number]]).map(([a, b]) => ({
    startMs: a,
    endMs: b,
    from: vus,
    to: vus,
  }));
  return {
    model: 'vus',
    segments,
    durationMs: endMs,
    preAllocatedVUs: vus,
    maxVUs: vus,
    gracefulStopMs: 30_000,
  };
}

function toMs(d: unknown): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  if (typeof d === 'number') return d;
  let total = 0;
  for (const [, n, u] of String(d).matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(n) * units[u!]!;
  return total;
}

/** The safety limits a script's own arrival rates break, if any (VUs and duration: the plan checks). */
export function userScriptRateProblems(
  name: string,
  scenarios: Record<string, Record<string, unknown>>,
  limits: PerformanceLimits,
): string[] {
  let peak = 0;
  for (const sc of Object.values(scenarios)) {
    if (!String(sc.executor).endsWith('arrival-rate')) continue;
    // biome-ignore lint/suspicious/noExplicitAny: checked when the script was read
    peak += peakLevel(toProfile(sc as any)) * 1000;
  }
  return peak > limits.maxRate
    ? [
        `k6 script ${name}: peak rate ${Math.round(peak)}/s exceeds performance.limits.maxRate ${limits.maxRate}/s`,
      ]
    : [];
}
