// Which scenarios a run executes: the built-in Sevensa platform scenarios whose services the config has,
// plus the config's own scenario files. Scenario files are TypeScript or JavaScript, imported through
// jiti as the config is, so they need no build step and can `import { defineScenario } from 'cutover'`.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatIssues } from '../../config/issues.js';
import type { ResolvedConfig } from '../../config/load.js';
import { moduleLoadError } from '../../config/module-errors.js';
import { importPackageModule, userModuleLoader } from '../../config/user-modules.js';
import { UserError } from '../../core/errors.js';
import { DEPRECATED_NAME, type Flow, flowSchema, type ScenarioSpec, type Step } from './define.js';
import { BUILT_IN_PLACEHOLDERS, undefinedPlaceholders } from './placeholders.js';

export interface LoadedScenario {
  scenario: ScenarioSpec;
  /** `built-in` or the file it came from, for messages. */
  source: string;
}

export interface ScenarioSelection {
  scenarios: LoadedScenario[];
  /** Problems that stopped a file or scenario from loading, each naming where. */
  problems: string[];
  /**
   * Placeholders no built-in and no earlier step defines, each naming the file, scenario, step and
   * placeholder. Such a step could never be sent: the run refuses to start (placeholders.ts).
   */
  undefinedPlaceholders: string[];
  /** Scenarios left out, and why (a service not in the config, a tag filter). */
  skipped: string[];
  /** Worth saying, not wrong: an old name still in use. */
  notes: string[];
}

/** Every step of a scenario: setup, the flow's own steps, teardown. */
export const allSteps = (s: ScenarioSpec): readonly Step[] => [
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
  const undefinedFound: string[] = [];
  const notes: string[] = [];
  // The Sevensa platform's own flows are files of the package, loaded as a user's flow files are.
  const builtin = config.integration.builtin
    ? ((await importPackageModule('suites/integration/index')).default as Flow[])
    : [];
  const candidates: LoadedScenario[] = builtin.map((scenario) => ({ scenario, source: 'built-in' }));
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
    if (found.length === 0) problems.push(`${where}: exports no flow (use defineFlow from 'cutover')`);
    const old = found.find(([, v]) => (v as Record<symbol, unknown>)[DEPRECATED_NAME] === 'defineScenario');
    if (old)
      notes.push(
        `${file}: defineScenario is the old name of defineFlow (integration flows); it still works — rename it when you next edit the file`,
      );
    for (const [name, value] of found) {
      const parsed = flowSchema.safeParse(value);
      if (!parsed.success) {
        for (const line of formatIssues(parsed.error.issues))
          problems.push(`${file}: export ${name}: ${line}`);
        continue;
      }
      candidates.push({ scenario: value as Flow, source: file });
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
    // Checked for every scenario the files define, filtered out by tag or service or not: a step that
    // could never be sent is a mistake in the file whichever run meets it.
    const undefinedHere = undefinedPlaceholders(s);
    if (undefinedHere.length > 0) {
      for (const line of undefinedHere) undefinedFound.push(`${c.source}: scenario "${s.name}", ${line}`);
      continue;
    }
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
  return { scenarios, problems, skipped, undefinedPlaceholders: undefinedFound, notes };
}

/**
 * The integration suite's plan: the flows it will run, read before the run starts. A step that could
 * never be sent — a placeholder nothing defines — is a UserError (exit 2), raised before any suite sends
 * a request; other problems of the files are recorded by the run, which carries on without those flows.
 */
export async function planIntegration(config: ResolvedConfig): Promise<ScenarioSelection> {
  const selection = await loadScenarios(config);
  const found = selection.undefinedPlaceholders;
  if (found.length > 0)
    throw new UserError(
      `${found.length === 1 ? 'a scenario step uses a placeholder' : `scenario steps use ${found.length} placeholders`} that nothing defines; no request was sent`,
      {
        details: found,
        hint: `a placeholder is a built-in ({{${BUILT_IN_PLACEHOLDERS.join('}}, {{')}}}), an environment variable ({{env.NAME}}) or a value an earlier step captures (capture: { bookingId: 'id' })`,
      },
    );
  return selection;
}

/** How many checks the planned flows will record in each environment, for the progress view. */
export function plannedStepCount(selection: ScenarioSelection, services: readonly string[]): number {
  return selection.scenarios
    .filter(({ scenario }) => servicesOf(scenario).every((id) => services.includes(id)))
    .reduce((n, { scenario }) => n + allSteps(scenario).length, 0);
}

/** The services a scenario's steps go to. */
export function servicesOf(s: ScenarioSpec): string[] {
  return [...new Set([s.service, ...allSteps(s).flatMap((x) => (x.service ? [x.service] : []))])];
}
