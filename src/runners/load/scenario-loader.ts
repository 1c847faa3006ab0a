// Loads a scenario module (built-in or a user's own file) by its file: the load threads do, since a
// scenario's checks are functions that cannot cross a thread boundary. The performance suite's plan
// checks what it loaded against the scenario's schema (src/suites/performance/check.ts) before any load
// thread starts, so a mistake is a message naming the file and the option, not a crash mid-run.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { moduleLoadError } from '../../config/module-errors.js';
import { type Profile, toProfile } from '../../core/load/profile.js';
import type { PerformanceScenario } from '../../core/load/scenario.js';

/** `file` may name the module with or without extension; built JavaScript wins over TypeScript source. */
export function scenarioFile(file: string): string {
  if (/\.(m?[jt]s)$/.test(file) && existsSync(file)) return file;
  for (const ext of ['.js', '.ts']) if (existsSync(file + ext)) return file + ext;
  throw new Error(`scenario file ${file} does not exist`);
}

// jiti is imported only for a TypeScript file: every load thread imports this module, and the built-in
// scenarios are JavaScript in dist/, so each thread skips jiti's ~0.1 s of CPU.
async function importTypeScript(path: string): Promise<unknown> {
  const { userModuleLoader } = await import('../../config/user-modules.js');
  return userModuleLoader().import(path, { default: true });
}

export async function importScenario(file: string): Promise<PerformanceScenario> {
  const path = scenarioFile(file);
  let mod: unknown;
  try {
    mod = path.endsWith('.ts')
      ? await importTypeScript(path)
      : ((await import(pathToFileURL(path).href)) as { default: unknown }).default;
  } catch (error) {
    throw new Error(`${path}: could not be loaded: ${moduleLoadError(error, dirname(path))}`);
  }
  if (typeof mod !== 'object' || mod === null)
    throw new Error(`${path}: expected a default export made with defineLoad({...})`);
  return mod as PerformanceScenario;
}

export function profileOf(s: PerformanceScenario): Profile {
  return toProfile(s.executor);
}
