// Which scenarios a run executes: the built-in Sevensa platform scenarios whose services the config has,
// plus the config's own scenario files. Scenario files are TypeScript or JavaScript, imported through
// jiti as the config is, so they need no build step and can `import { defineScenario } from 'cutover'`.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Scenario, ScenarioSpec, Step } from '../../../suites/integration/dsl.js';
import { PLATFORM_SCENARIOS } from '../../../suites/integration/index.js';
import { formatIssues } from '../../config/issues.js';
import type { ResolvedConfig } from '../../config/load.js';
import { moduleLoadError } from '../../config/module-errors.js';
import { userModuleLoader } from '../../config/user-modules.js';
import { scenarioSchema } from './scenario-schema.js';

export interface LoadedScenario {
  scenario: ScenarioSpec;
  /** `built-in` or the file it came from, for messages. */
  source: string;
}

export interface ScenarioSelection {
  scenarios: LoadedScenario[];
  /** Problems that stopped a file or scenario from loading, each naming where. */
  problems: string[];
  /** Scenarios left out, and why (a service not in the config, a tag filter). */
  skipped: string[];
}

const allSteps = (s: ScenarioSpec): readonly Step[] => [
  ...(s.setup ?? []),
  ...s.steps,
  ...(s.teardown ?? []),
];

function looksLikeScenario(v: unknown): boolean {
  return typeof v === 'object' && v !== null && 'steps' in v && 'name' in v;
}

/** Every scenario a module exports: its default (one or an array) and any named export that is one. */
function exported(module: Record<string, unknown>): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const def = module.default;
  if (Array.isArray(def)) {
    for (const [i, v] of def.entries()) out.push([`default[${i}]`, v]);
  } else if (def !== undefined && looksLikeScenario(def)) out.push(['default', def]);
  for (const [name, v] of Object.entries(module)) {
    if (name === 'default') continue;
    if (Array.isArray(v) && v.every(looksLikeScenario)) {
      for (const [i, x] of v.entries()) out.push([`${name}[${i}]`, x]);
    } else if (looksLikeScenario(v)) out.push([name, v]);
  }
  return out;
}

export async function loadScenarios(config: ResolvedConfig): Promise<ScenarioSelection> {
  const problems: string[] = [];
  const skipped: string[] = [];
  const candidates: LoadedScenario[] = config.integration.builtin
    ? PLATFORM_SCENARIOS.map((scenario) => ({ scenario, source: 'built-in' }))
    : [];
  const jiti = userModuleLoader();
  for (const [i, file] of config.integration.scenarios.entries()) {
    const where = `integration.scenarios[${i}] (${file})`;
    const path = resolve(config.rootDir, file);
    if (!existsSync(path)) {
      problems.push(`${where}: file not found`);
      continue;
    }
    let module: Record<string, unknown>;
    try {
      module = (await jiti.import(path)) as Record<string, unknown>;
    } catch (error) {
      problems.push(`${where}: could not load: ${moduleLoadError(error, config.rootDir)}`);
      continue;
    }
    const found = exported(module);
    if (found.length === 0)
      problems.push(`${where}: exports no scenario (use defineScenario from 'cutover')`);
    for (const [name, value] of found) {
      const parsed = scenarioSchema.safeParse(value);
      if (!parsed.success) {
        for (const line of formatIssues(parsed.error.issues))
          problems.push(`${file}: export ${name}: ${line}`);
        continue;
      }
      candidates.push({ scenario: value as Scenario, source: file });
    }
  }
  const seen = new Set<string>();
  const scenarios: LoadedScenario[] = [];
  const tags = config.integration.tags;
  for (const c of candidates) {
    const s = c.scenario;
    if (seen.has(s.name)) {
      problems.push(`${c.source}: scenario "${s.name}" is defined twice; names must be unique`);
      continue;
    }
    seen.add(s.name);
    const services = new Set([s.service, ...allSteps(s).flatMap((x) => (x.service ? [x.service] : []))]);
    const unknown = [...services].filter((id) => !config.services[id]);
    if (unknown.length > 0) {
      // A built-in scenario for a service this config does not have is simply not this config's concern.
      if (c.source === 'built-in') skipped.push(`${s.name}: service ${unknown.join(', ')} not in the config`);
      else
        problems.push(
          `${c.source}: scenario "${s.name}" uses service ${unknown.join(', ')}, which is not under services in the config`,
        );
      continue;
    }
    if (tags && !(s.tags ?? []).some((t) => tags.includes(t))) {
      skipped.push(`${s.name}: no tag among ${tags.join(', ')}`);
      continue;
    }
    scenarios.push(c);
  }
  return { scenarios, problems, skipped };
}
