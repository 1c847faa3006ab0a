// A team's existing k6 script in the performance suite (`cutover perf --k6-script FILE`): planned like a
// scenario — one service's URL per environment, the A/B blocks, the safety limits — and judged like one:
// its requests grouped by k6's `name` tag become the same evidence as Cutover's scenarios, and its own
// `options.thresholds` become threshold checks, which the gates' scenario-thresholds criterion blocks on.
import { basename, extname, relative } from 'node:path';
import type { ResolvedConfig } from '../../config/load.js';
import { UserError } from '../../core/errors.js';
import type { MetricEvidence } from '../../core/evidence.js';
import { parseScenarioThreshold } from '../../core/gates/thresholds.js';
import { type Profile, peakLevel, toProfile } from '../../core/load/profile.js';
import type { PerformanceScenario } from '../../core/load/scenario.js';
import type { CheckResult } from '../../core/model.js';
import type { ScenarioModule, UserK6Script } from '../../runners/load/engine-input.js';
import type { SliceResult } from '../../runners/load/recorder.js';
import { metricEvidence, SUITE, thresholdChecks } from './evidence.js';
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

/**
 * Whether Cutover evaluates a script's threshold itself: a metric it measures the way k6 does (not
 * iteration_duration, which in a script includes its sleeps and groups), filtered at most by `name`
 * (or a check's name) — the tags its evidence keeps. Anything else keeps k6's verdict.
 */
function evaluable(key: string, source: string): boolean {
  try {
    const t = parseScenarioThreshold(key, source);
    return (
      t.condition.metric !== 'iteration_duration' &&
      Object.keys(t.condition.filter).every((k) => k === 'name' || k === 'check')
    );
  } catch {
    return false;
  }
}

/** k6's threshold entries: strings, or `{ threshold, abortOnFail, delayAbortEval }`. */
function thresholdSources(list: unknown): string[] {
  return (Array.isArray(list) ? list : [list]).flatMap((t) =>
    typeof t === 'string' ? [t] : typeof t?.threshold === 'string' ? [t.threshold] : [],
  );
}

/**
 * Evidence and threshold checks of a script on one environment. Requests are grouped by k6's `name`
 * tag (its URL unless the script names it); each threshold Cutover's grammar can read is evaluated over
 * all blocks merged, as for a defineLoad scenario; any other (a custom metric, a group filter) takes
 * k6's own verdict — crossed in any block fails it; held in every block passes it, except a `count`,
 * which no block alone decides.
 */
export function userScriptResults(
  planned: { module: ScenarioModule },
  r: SliceResult,
  elapsedSeconds: number,
  at: string,
): { evidence: MetricEvidence[]; checks: CheckResult[] } {
  const base = planned.module.scenario;
  const names = [...new Set([...Object.keys(r.durations), ...Object.keys(r.failed)])].sort();
  const scenario = {
    ...base,
    requests: names.map((n) => ({ weight: 1, method: 'GET', path: '/', endpoint: n })),
  } as PerformanceScenario;
  const evidence = metricEvidence(scenario, r, at);
  const thresholds = (planned.module.k6Script!.options.thresholds ?? {}) as Record<string, unknown>;
  const ours: Record<string, string[]> = {};
  const checks: CheckResult[] = [];
  for (const [key, list] of Object.entries(thresholds)) {
    for (const source of thresholdSources(list)) {
      if (evaluable(key, source)) {
        ours[key] = [...(ours[key] ?? []), source];
        continue;
      }
      const crossed = r.k6Crossed?.includes(`${key}: ${source}`) ?? false;
      const judged = (r.k6Summaries ?? 0) > 0;
      const count = /^\s*count\b/.test(source);
      checks.push({
        suite: SUITE,
        environment: r.environment,
        service: base.service,
        check: `${base.name}: ${key} ${source}`,
        status: crossed ? 'fail' : judged && !count ? 'pass' : 'skip',
        reason: crossed
          ? `k6 reported it crossed in at least one block (threshold ${source})`
          : judged && !count
            ? `k6 reported it held in each of ${r.k6Summaries} block(s), so it holds over them all (threshold ${source})`
            : `Cutover cannot evaluate ${key} over the merged blocks, and ${judged ? 'a count held per block does not hold over their sum' : 'no k6 summary judged it'}: not judged`,
        data: { scenario: base.name, metric: key, threshold: source, judgedBy: 'k6' },
        at,
      });
    }
  }
  checks.unshift(...thresholdChecks({ ...scenario, thresholds: ours }, r, elapsedSeconds, at));
  return { evidence, checks };
}
