// Turns the config, the scenarios and the command's options into a load plan — which scenario runs on
// which environment's URL, in which blocks, how hard — and refuses a plan that breaks a safety limit or
// aims at a host the config does not name, before a single request leaves.
import { readFileSync } from 'node:fs';
import { isAbsolute, relative as relativePath, resolve as resolvePath } from 'node:path';
import type { ResolvedConfig } from '../../config/load.js';
import { importPackageModule, packageFile } from '../../config/user-modules.js';
import { UserError } from '../../core/errors.js';
import {
  expectedIterations,
  formatDuration,
  type Profile,
  parseDuration,
  peakLevel,
  windowProfile,
} from '../../core/load/profile.js';
import {
  endpointOf,
  HostRefusedError,
  type PerformanceScenario,
  requestUrl,
  resolve,
  type SetupStep,
} from '../../core/load/scenario.js';
import { endpointName, placeholdersIn, render } from '../../core/steps/template.js';
import { pinnedAddress } from '../../runners/http/pinning.js';
import type {
  Block,
  Engine,
  EnginePlan,
  EnvTarget,
  PlannedScenario,
  ScenarioModule,
} from '../../runners/load/engine-input.js';
import { importScenario, profileOf } from '../../runners/load/scenario-loader.js';
import type { SuitePlanContext } from '../suite.js';
import { oldName, sampleVars, setupProblems, validateScenario } from './check.js';
import type { PerformanceLimits, PerformanceOptions } from './settings.js';
import { userScriptModules, userScriptProfile, userScriptRateProblems } from './user-script.js';

export type { Block, Engine, EnvTarget, PlannedScenario, ScenarioModule };

import type { Mode } from './settings.js';

export type { Mode, PerformanceOptions };

/** The whole plan: what the engines run (EnginePlan), and the blocks, limits and sizes the suite keeps. */
export interface LoadPlan extends EnginePlan {
  /** Unrecorded warm-up per environment, run before the blocks (0 for none). */
  warmupMs: number;
  mode: Mode;
  blocks: Block[];
  durationMs: number;
  limits: PerformanceLimits;
  /** Expected requests per environment (arrival-rate scenarios; VU scenarios are bounded by the limit). */
  expectedRequests: number;
}

function scaleProfile(p: Profile, f: number): Profile {
  const vus = (n: number) => Math.max(1, Math.ceil(n * f));
  return {
    ...p,
    preAllocatedVUs: vus(p.preAllocatedVUs),
    maxVUs: vus(p.maxVUs),
    segments: p.segments.map((s) =>
      p.model === 'arrival'
        ? { ...s, from: s.from * f, to: s.to * f }
        : { ...s, from: Math.ceil(s.from * f), to: Math.ceil(s.to * f) },
    ),
  };
}

function compress(p: Profile, durationMs: number): Profile {
  const f = durationMs / p.durationMs;
  return {
    ...p,
    durationMs,
    segments: p.segments.map((s) => ({ ...s, startMs: s.startMs * f, endMs: s.endMs * f })),
  };
}

/** The Sevensa platform's own scenarios: files of the package, loaded as a user's scenario files are. */
export async function builtInModules(): Promise<ScenarioModule[]> {
  const names = (await importPackageModule('suites/performance/index')).default as string[];
  return Promise.all(
    names.map(async (name) => {
      const file = packageFile(`suites/performance/${name}`).replace(/\.(js|ts)$/, '');
      const scenario = await importScenario(file);
      validateScenario(scenario, `suites/performance/${name}`);
      return { scenario, file };
    }),
  );
}

/** The built-in scenarios plus the config's and the command line's scenario files, filtered by name. */
export async function loadModules(
  config: ResolvedConfig,
  options: Pick<PerformanceOptions, 'scenarios' | 'scenarioFiles'> & PerformanceOptions,
  processEnv: Readonly<Record<string, string | undefined>> = {},
): Promise<ScenarioModule[]> {
  // With --k6-script, the scripts run (and the scenarios named or given as files beside them).
  const scripts = await userScriptModules(config, options, processEnv);
  const files = [
    ...(scripts.length > 0 ? [] : config.performance.scenarioFiles),
    ...(options.scenarioFiles ?? []),
  ];
  const extra: ScenarioModule[] = [...scripts];
  for (const f of files) {
    const file = isAbsolute(f) ? f : resolvePath(config.rootDir, f);
    try {
      const scenario = await importScenario(file);
      validateScenario(scenario, file);
      extra.push({ scenario, file });
    } catch (error) {
      throw new UserError(`scenario ${f}: ${(error as Error).message}`);
    }
    const { service, name } = extra.at(-1)!.scenario;
    // A scenario someone named explicitly must not vanish because its service is unknown.
    if (!config.services[service]) {
      throw new UserError(
        `scenario ${f} (${name}) loads service "${service}", which ${relativeTo(config)} does not define; its services: ${Object.keys(config.services).join(', ')}`,
      );
    }
  }
  const wanted = options.scenarios ?? config.performance.scenarios;
  const builtIn = wanted || extra.length === 0 ? await builtInModules() : [];
  const all = [...builtIn, ...extra];
  for (const m of all) {
    // A step written wrong, or a placeholder nothing fills, is refused before anything is sent.
    const problems = setupProblems(m.scenario);
    if (problems.length > 0) {
      const from = extra.includes(m) ? ` (${relativePath(config.rootDir, m.file) || m.file})` : '';
      throw new UserError(`scenario ${m.scenario.name}${from}: ${problems[0]}`, {
        ...(problems.length > 1 ? { details: problems.slice(1) } : {}),
        hint: 'a request may use {{runId}}, {{env.VAR}} for a variable in env, and {{name}} for a value a setup step captures',
      });
    }
  }
  if (!wanted) return all;
  const known = all.map((m) => m.scenario.name);
  // Named where the user named it: on the command line, or in the config.
  const where = options.scenarios ? '--scenario' : `performance.scenarios in ${relativeTo(config)}:`;
  for (const name of wanted) {
    if (!known.includes(name))
      throw new UserError(`${where} ${name}: unknown scenario; known: ${known.join(', ')}`);
  }
  return all.filter((m) => wanted.includes(m.scenario.name));
}

function relativeTo(config: ResolvedConfig): string {
  return relativePath(config.rootDir, config.configFile) || config.configFile;
}

function targetFor(config: ResolvedConfig, envName: string, s: PerformanceScenario): EnvTarget | string {
  const env = config.environments[envName]!;
  const svc = env.services[s.service];
  if (!config.services[s.service]) return `the config has no service "${s.service}"`;
  if (!svc) return `${s.service} is not deployed in ${envName}`;
  return {
    baseUrl: svc.url,
    pins: env.resolve,
    insecure: env.tls.insecure,
    ...(env.tls.caFile ? { ca: readFileSync(resolvePath(config.rootDir, env.tls.caFile), 'utf8') } : {}),
  };
}

/**
 * Resolves a few iterations of every request (captured values stood in for) so a path aimed elsewhere is
 * refused before any load.
 */
function refuseForeignHosts(s: PerformanceScenario, target: EnvTarget, env: PlannedScenario['env']): void {
  const vars = sampleVars(s);
  for (const r of s.requests) {
    for (let iteration = 0; iteration < 3; iteration++) {
      try {
        // A placeholder left unfilled (a variable not set) stays as text: the scenario is skipped for it.
        const path = render(resolve(r.path, { iteration, vu: 0, env, vars }), { vars, env }).value;
        requestUrl(target.baseUrl, String(path));
      } catch (error) {
        if (error instanceof HostRefusedError) {
          throw new UserError(`scenario ${s.name}, ${endpointOf(r)}: ${error.message}`, {
            hint: 'name the host as a service URL in the config, or make the path relative',
          });
        }
        throw error;
      }
    }
  }
}

/**
 * Why a scenario cannot run at all: a `{{env.VAR}}` in its steps or requests whose variable is not set
 * (a request with a hole in it is never sent; the variable's value is never shown).
 */
function unsetPlaceholders(s: PerformanceScenario, env: PlannedScenario['env']): string | undefined {
  const fixed = [
    ...[...(s.setup ?? []), ...(s.teardown ?? [])].map((step) => step.request),
    ...s.requests.map((r) => [r.path, r.headers, r.body].filter((p) => typeof p !== 'function')),
  ];
  const missing = placeholdersIn(fixed)
    .filter((p) => p.startsWith('env.') && !env[p.slice(4)])
    .map((p) => p.slice(4));
  if (missing.length === 0) return undefined;
  return `needs environment variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not set`;
}

export async function buildPlan(
  config: ResolvedConfig,
  environments: readonly string[],
  options: PerformanceOptions,
  processEnv: Readonly<Record<string, string | undefined>>,
): Promise<LoadPlan> {
  const settings = config.performance;
  const limits = settings.limits;
  const modules = await loadModules(config, options, processEnv);
  const overrideMs =
    options.duration !== undefined ? parseFlagDuration('--duration', options.duration) : undefined;
  const scenarios: PlannedScenario[] = [];
  const problems: string[] = [];
  for (const module of modules) {
    const s = module.scenario;
    const script = module.k6Script;
    const { scenariosOf } = await import('../../runners/k6/user-options.js');
    let profile = script ? userScriptProfile(script, scenariosOf(script.options)) : profileOf(s);
    if (script) problems.push(...userScriptRateProblems(s.name, scenariosOf(script.options), limits));
    if (overrideMs !== undefined) profile = compress(profile, overrideMs);
    if (options.scale !== undefined) profile = scaleProfile(profile, options.scale);
    const env = Object.fromEntries((s.env ?? []).map((k) => [k, options.env?.[k] ?? processEnv[k]]));
    const planned: PlannedScenario = { module, profile, targets: {}, skipped: {}, env };
    const unset = unsetPlaceholders(s, env);
    for (const e of environments) {
      const t = targetFor(config, e, s);
      if (typeof t === 'string') planned.skipped[e] = t;
      else if (unset) planned.skipped[e] = unset;
      else {
        refuseForeignHosts(s, t, env);
        planned.targets[e] = t;
      }
    }
    const peakRate = profile.model === 'arrival' ? peakLevel(profile) * 1000 : 0;
    if (peakRate > limits.maxRate) {
      problems.push(
        `scenario ${s.name}: peak rate ${round(peakRate)}/s exceeds performance.limits.maxRate ${limits.maxRate}/s`,
      );
    }
    if (profile.maxVUs > limits.maxVUs) {
      problems.push(
        `scenario ${s.name}: ${profile.maxVUs} VUs exceed performance.limits.maxVUs ${limits.maxVUs}`,
      );
    }
    scenarios.push(planned);
  }
  const durationMs = Math.max(0, ...scenarios.map((s) => s.profile.durationMs));
  const maxDurationMs = parseDuration(limits.maxDuration);
  if (durationMs > maxDurationMs) {
    problems.push(
      `the load would last ${formatDuration(durationMs)} per environment; performance.limits.maxDuration is ${limits.maxDuration}`,
    );
  }
  const expectedRequests = Math.round(
    scenarios.reduce((n, s) => n + (s.profile.model === 'arrival' ? expectedIterations(s.profile) : 0), 0),
  );
  const expectedTotal = expectedRequests * environments.length;
  if (expectedTotal > limits.maxRequests) {
    problems.push(
      `the plan sends about ${expectedTotal} requests; performance.limits.maxRequests is ${limits.maxRequests}`,
    );
  }
  if (problems.length > 0) {
    throw new UserError('refusing to run this load: it breaks a safety limit', {
      details: problems,
      hint: 'lower the scenario (or --duration), or raise performance.limits in the config',
    });
  }
  if (options.scale !== undefined && !(options.scale > 0 && options.scale <= 1000)) {
    throw new UserError(`--scale ${options.scale}: expected a number above 0 and at most 1000`);
  }
  // A k6 script with an iteration-based scenario cannot be cut into blocks: it runs whole on each side
  // in turn, and a warm-up would be a whole run too.
  const whole = modules.some((m) => m.k6Script && !m.k6Script.windowable);
  const mode = whole ? 'sequential' : (options.mode ?? settings.mode);
  const warmupText = whole ? '0' : (options.warmup ?? settings.warmup);
  const warmupMs =
    warmupText === '0s' || warmupText === '0'
      ? 0
      : Math.min(durationMs, parseFlagDuration('--warmup', warmupText));
  const blockMs =
    mode === 'alternating' ? parseFlagDuration('--block', options.block ?? settings.block) : durationMs;
  const blocks: Block[] = [];
  for (let from = 0; from < durationMs; from += blockMs) {
    const window = { fromMs: from, toMs: Math.min(durationMs, from + blockMs) };
    // Interleaved: both sides under load at once, their requests interleaved in time, so whatever
    // disturbs the load machine at any moment disturbs both sides alike.
    if (mode === 'interleaved') blocks.push({ environments: [...environments], ...window });
    else for (const environment of environments) blocks.push({ environments: [environment], ...window });
  }
  const threads = options.threads ?? settings.threads;
  return {
    // A k6 script needs k6: the embedded engine (the default) runs defineLoad scenarios only.
    engine:
      modules.some((m) => m.k6Script) && (options.engine ?? 'embedded') === 'embedded'
        ? 'k6'
        : (options.engine ?? 'embedded'),
    warmupMs,
    mode,
    environments: [...environments],
    scenarios,
    blocks,
    durationMs,
    limits,
    maxRequests: limits.maxRequests,
    timeoutMs: settings.timeoutMs,
    threads,
    parallelism: options.parallelism ?? 1,
    expectedRequests,
  };
}

function parseFlagDuration(flag: string, value: string): number {
  try {
    const ms = parseDuration(value);
    if (ms <= 0) throw new Error('must be more than 0');
    return ms;
  } catch (error) {
    throw new UserError(`${flag} ${value}: ${(error as Error).message}`);
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

/** The profile a scenario runs in one block (empty when the scenario ended before it). */
export function blockProfile(s: PlannedScenario, b: Block): Profile | undefined {
  const p = windowProfile(s.profile, b.fromMs, b.toMs);
  return p.segments.length > 0 ? p : undefined;
}

/**
 * A setup or teardown step in words: name, endpoint (`DELETE /items/{itemId}`), expected status, captures. Never
 * headers or bodies: they may carry secrets.
 */
export function describeStep(step: SetupStep): string {
  const status = step.expect?.status;
  const expects = status === undefined ? '2xx' : Array.isArray(status) ? status.join(' or ') : String(status);
  const captures = Object.keys(step.capture ?? {});
  return `${step.name}: ${endpointName(step.request.method, step.request.path)} → expects ${expects}${captures.length > 0 ? `, captures ${captures.join(', ')}` : ''}`;
}

/** The plan in words, for --dry-run: what would be sent where, and nothing is sent. */
export function describePlan(plan: LoadPlan): string {
  const lines = [
    `Load plan (engine ${plan.engine}, ${plan.mode === 'alternating' ? `alternating blocks of ${formatDuration(plan.blocks[0] ? plan.blocks[0].toMs - plan.blocks[0].fromMs : 0)}` : plan.mode}):`,
  ];
  for (const s of plan.scenarios) {
    const sc = s.module.scenario;
    const p = s.profile;
    const shape =
      p.model === 'arrival'
        ? `${sc.executor.executor}, peak ${round(peakLevel(p) * 1000)} it/s, ${p.maxVUs} max VUs, ~${Math.round(expectedIterations(p))} requests per environment`
        : `${sc.executor.executor}, up to ${p.maxVUs} VUs${sc.sleep ? `, sleep ${sc.sleep}` : ''}`;
    lines.push(`  ${sc.name} (${sc.service}): ${shape}, ${formatDuration(p.durationMs)}`);
    const total = sc.requests.reduce((n, r) => n + r.weight, 0);
    for (const r of sc.requests)
      lines.push(`      ${Math.round((r.weight / total) * 100)}%  ${endpointOf(r)}`);
    if (sc.setup?.length) {
      lines.push('    setup, once per environment before the load (not timed):');
      for (const step of sc.setup) lines.push(`      ${describeStep(step)}`);
    }
    if (sc.teardown?.length) {
      lines.push('    teardown, once per environment after the load:');
      for (const step of sc.teardown) lines.push(`      ${describeStep(step)}`);
    }
    for (const [e, t] of Object.entries(s.targets)) {
      const url = new URL(t.baseUrl);
      const pinned = pinnedAddress(t.pins, url.hostname, url.port || (url.protocol === 'https:' ? 443 : 80));
      lines.push(`    → ${e}: ${t.baseUrl}${pinned ? ` (connecting to ${pinned})` : ''}`);
    }
    // Names only, never values: the variables may hold secrets.
    const vars = Object.keys(s.env);
    if (vars.length > 0) {
      lines.push(
        `    reads ${vars.map((k) => `${k} (${s.env[k] === undefined ? 'NOT SET' : 'set'})`).join(', ')}`,
      );
    }
    for (const [e, why] of Object.entries(s.skipped)) lines.push(`    ✗ ${e}: skipped, ${why}`);
  }
  lines.push(
    `  warm-up: ${plan.warmupMs > 0 ? `${formatDuration(plan.warmupMs)} per environment, not recorded` : 'none'}`,
    `  ${plan.blocks.length} block(s): ${plan.blocks
      .slice(0, 6)
      .map((b) => `${b.environments.join('+')} ${formatDuration(b.fromMs)}–${formatDuration(b.toMs)}`)
      .join(', ')}${plan.blocks.length > 6 ? ', …' : ''}`,
    `  limits: ${plan.limits.maxRate} it/s, ${plan.limits.maxDuration}, ${plan.limits.maxRequests} requests, ${plan.limits.maxVUs} VUs`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * The performance suite's plan for a run: the load plan (plan.ts) for the selected environments, narrowed
 * to the scenarios whose service is selected, with the k6 executable found first when k6 runs the load —
 * a missing k6 is the user's to fix (exit 2), not a failed run.
 */
export async function planPerformance(ctx: SuitePlanContext): Promise<LoadPlan> {
  const options = ctx.options.performance ?? {};
  const plan = await buildPlan(ctx.config, ctx.environments, options, ctx.env);
  if (plan.engine === 'k6') {
    const { findK6 } = await import('../../runners/k6/engine.js');
    await findK6(options.k6Path, ctx.env);
  }
  for (const s of plan.scenarios) {
    const old = oldName(s.module.scenario);
    if (old)
      ctx.log(
        `performance: note: ${s.module.scenario.name} is declared with ${old}, the old name of defineLoad; it still works — rename it when you next edit the file`,
      );
    const service = s.module.scenario.service;
    if (!ctx.config.services[service])
      ctx.log(`performance: ${s.module.scenario.name} skipped: the config has no service "${service}"`);
  }
  const narrowed = {
    ...plan,
    scenarios: plan.scenarios.filter((s) => ctx.services.includes(s.module.scenario.service)),
  };
  if (plan.engine === 'k6-operator') {
    const { refuseInternalPins } = await import('../../runners/k6/operator-input.js');
    refuseInternalPins(narrowed);
  }
  return narrowed;
}
