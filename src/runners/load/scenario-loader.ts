// Loads a scenario module (built-in or a user's own file) and checks it is a scenario k6 would accept,
// so a mistake is a message naming the file and the option, not a crash half-way through a load run.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { moduleLoadError } from '../../config/module-errors.js';
import { EXECUTORS, type Profile, toProfile } from '../../core/load/profile.js';
import type { PerformanceScenario } from '../../core/load/scenario.js';
import { parseThreshold } from './thresholds.js';

const NAME = /^[0-9a-zA-Z_-]+$/;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];

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
  validateScenario(mod, path);
  return mod;
}

/** Throws an Error whose message names the file and the first problem found. */
export function validateScenario(value: unknown, where: string): asserts value is PerformanceScenario {
  const fail = (msg: string): never => {
    throw new Error(`${where}: ${msg}`);
  };
  if (typeof value !== 'object' || value === null)
    fail('expected a default export made with definePerformanceScenario({...})');
  const s = value as Partial<PerformanceScenario>;
  if (typeof s.name !== 'string' || !NAME.test(s.name))
    fail('name: expected letters, digits, "_" or "-" (k6 scenario name)');
  if (typeof s.service !== 'string' || !s.service)
    fail('service: expected the config service id the paths belong to');
  if (!s.executor || !EXECUTORS.includes(s.executor.executor as never)) {
    fail(`executor.executor: expected one of ${EXECUTORS.join(', ')}`);
  }
  try {
    toProfile(s.executor!);
  } catch (error) {
    fail(`executor (${s.executor!.executor}): ${(error as Error).message}`);
  }
  if (!Array.isArray(s.requests) || s.requests.length === 0) fail('requests: expected at least one request');
  s.requests!.forEach((r, i) => {
    const at = `requests[${i}]`;
    if (!(typeof r.weight === 'number' && r.weight > 0)) fail(`${at}.weight: expected a number above 0`);
    if (!METHODS.includes(r.method)) fail(`${at}.method: expected one of ${METHODS.join(', ')}`);
    if (typeof r.path !== 'string' && typeof r.path !== 'function')
      fail(`${at}.path: expected a string or a function`);
    if (typeof r.path === 'function' && !r.endpoint)
      fail(`${at}.endpoint: a computed path needs an endpoint name`);
  });
  // Their steps are checked in full where the plan is made (setup-check.ts), which the load threads skip.
  for (const key of ['setup', 'teardown'] as const) {
    if (s[key] !== undefined && !Array.isArray(s[key])) fail(`${key}: expected a list of steps`);
  }
  for (const [metric, list] of Object.entries(s.thresholds ?? {})) {
    if (!Array.isArray(list))
      fail(`thresholds.${metric}: expected a list of expressions such as ['p(95)<300']`);
    for (const t of list) {
      try {
        parseThreshold(metric, t);
      } catch (error) {
        fail(`thresholds.${metric}: ${(error as Error).message}`);
      }
    }
  }
}

export function profileOf(s: PerformanceScenario): Profile {
  return toProfile(s.executor);
}
