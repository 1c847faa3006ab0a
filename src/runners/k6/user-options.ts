// A team's own k6 script, run by Cutover: its `options` as k6 reads them (the shortcuts `vus`,
// `duration`, `iterations` and `stages` turned into the one scenario k6 derives from them), cut to one
// A/B block's window, with the environment's pinned hosts added. Pure and free of Node: the wrapper
// around the user's script (user-script.ts) bundles this file, and k6 calls `cutoverOptions` at init, so
// real k6 and every k6-operator runner apply the same window the plan printed.
import { parseDuration, toProfile, windowProfile } from '../../core/load/profile.js';
import { k6ExecutorFor } from './executor-options.js';

/** One k6 scenario as written: the executor's keys plus exec, env, tags, startTime, gracefulStop. */
export type K6Scenario = Record<string, unknown> & { executor: string };

/** The executors whose timeline can be cut into blocks (an iteration count cannot). */
export const WINDOWABLE = ['constant-vus', 'ramping-vus', 'constant-arrival-rate', 'ramping-arrival-rate'];

/** Keys of a scenario that say what it runs, not how much: kept as written in every block. */
const COMMON = ['exec', 'env', 'tags'];

/**
 * The scenarios k6 runs for these options (k6's `deriveScenariosFromShortcuts`): `scenarios` as
 * written; else `iterations` → shared-iterations, `stages` → ramping-vus, `duration` → constant-vus;
 * else one iteration of one VU.
 */
export function scenariosOf(options: Record<string, unknown> | undefined): Record<string, K6Scenario> {
  const o = options ?? {};
  if (o.scenarios && typeof o.scenarios === 'object') return o.scenarios as Record<string, K6Scenario>;
  const vus = typeof o.vus === 'number' ? o.vus : 1;
  if (o.iterations !== undefined)
    return {
      default: {
        executor: 'shared-iterations',
        vus,
        iterations: o.iterations,
        ...(o.duration !== undefined ? { maxDuration: o.duration } : {}),
      },
    };
  if (Array.isArray(o.stages) && o.stages.length > 0)
    return { default: { executor: 'ramping-vus', startVUs: vus, stages: o.stages } };
  if (o.duration !== undefined && parseDuration(o.duration as string) > 0)
    return { default: { executor: 'constant-vus', vus, duration: o.duration } };
  return { default: { executor: 'per-vu-iterations', vus: 1, iterations: 1 } };
}

/** The executor's own keys, as toProfile reads them. */
function executorKeys(sc: K6Scenario): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of [
    'executor',
    'vus',
    'duration',
    'startVUs',
    'stages',
    'rate',
    'timeUnit',
    'startRate',
    'preAllocatedVUs',
    'maxVUs',
    'gracefulStop',
  ])
    if (sc[k] !== undefined) out[k] = sc[k];
  return out;
}

/** When a scenario starts and how long it runs, in ms (undefined for an iteration-based executor). */
export function scenarioSpan(sc: K6Scenario): { startMs: number; endMs: number } | undefined {
  if (!WINDOWABLE.includes(sc.executor)) return undefined;
  // biome-ignore lint/suspicious/noExplicitAny: the keys were checked by k6's own rules in toProfile
  const p = toProfile(executorKeys(sc) as any);
  const startMs = parseDuration((sc.startTime as string | undefined) ?? '0s');
  return { startMs, endMs: startMs + p.durationMs };
}

/**
 * The scenarios of one block: each time-based scenario's timeline between `fromMs` and `toMs` (its
 * startTime counted), back in k6's executor options; a scenario with nothing in the window is left out.
 * Iteration-based scenarios cannot be cut: the plan runs such a script whole, without a window.
 */
export function windowScenarios(
  scenarios: Record<string, K6Scenario>,
  fromMs: number,
  toMs: number,
): Record<string, K6Scenario> {
  const out: Record<string, K6Scenario> = {};
  for (const [name, sc] of Object.entries(scenarios)) {
    const span = scenarioSpan(sc);
    if (!span) {
      out[name] = sc;
      continue;
    }
    const a = Math.max(fromMs, span.startMs);
    const b = Math.min(toMs, span.endMs);
    if (b <= a) continue;
    // biome-ignore lint/suspicious/noExplicitAny: as in scenarioSpan
    const p = windowProfile(toProfile(executorKeys(sc) as any), a - span.startMs, b - span.startMs);
    const kept = Object.fromEntries(COMMON.filter((k) => sc[k] !== undefined).map((k) => [k, sc[k]]));
    out[name] = {
      ...kept,
      ...(k6ExecutorFor(p, (sc.gracefulStop as string | undefined) ?? '30s') as K6Scenario),
      startTime: `${Math.round(a - fromMs)}ms`,
    };
  }
  return out;
}

const SHORTCUTS = ['vus', 'duration', 'iterations', 'stages'];

/**
 * The options k6 gets: the script's own, its scenarios cut to the block in `CUTOVER_WINDOW`
 * (`<fromMs>:<toMs>`, absent for a script run whole), and the environment's pinned hosts
 * (`CUTOVER_HOSTS`) and TLS choice added — everything else (thresholds, summaryTrendStats, tags, …) as
 * the team wrote it.
 */
export function cutoverOptions(
  options: Record<string, unknown> | undefined,
  env: Record<string, string | undefined>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(options ?? {}) };
  if (env.CUTOVER_WINDOW) {
    const [from, to] = env.CUTOVER_WINDOW.split(':').map(Number);
    out.scenarios = windowScenarios(scenariosOf(options), from!, to!);
    for (const k of SHORTCUTS) delete out[k];
  }
  if (env.CUTOVER_HOSTS)
    out.hosts = {
      ...((options?.hosts as Record<string, string> | undefined) ?? {}),
      ...(JSON.parse(env.CUTOVER_HOSTS) as Record<string, string>),
    };
  if (env.CUTOVER_INSECURE === 'true') out.insecureSkipTLSVerify = true;
  return out;
}
