// Finds, imports and validates the config file. TypeScript configs are imported through jiti (the
// loader Nuxt, ESLint and Tailwind use for their configs), so users need no build step.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { PACKAGE_ROOT } from '../version.js';
import { isDataConfig, readDataConfig } from './data-config.js';
import { formatIssues } from './issues.js';
import { moduleLoadError } from './module-errors.js';
import { configSchema, type ParsedConfig } from './schema.js';
import { knownKeysAt } from './schema-keys.js';
import { importPackageModule, packageFile, userModuleLoader } from './user-modules.js';

export const CONFIG_FILE_NAMES = [
  'cutover.config.ts',
  'cutover.config.mts',
  'cutover.config.mjs',
  'cutover.config.js',
  // A config as data, for a project without TypeScript (data-config.ts).
  'cutover.config.json',
  'cutover.config.yaml',
  'cutover.config.yml',
];

export interface ResolvedConfig extends ParsedConfig {
  /** Absolute path of the file the config came from. */
  configFile: string;
  /** Folder of the config file; relative paths in the config are resolved against it. */
  rootDir: string;
  /** Absolute reports folder. */
  reportsPath: string;
}

export function findConfigFile(cwd: string, explicit?: string): string {
  if (explicit) {
    const file = isAbsolute(explicit) ? explicit : resolve(cwd, explicit);
    if (!existsSync(file)) throw new UserError(`config file not found: ${explicit}`);
    return file;
  }
  for (const name of CONFIG_FILE_NAMES) {
    const file = join(cwd, name);
    if (existsSync(file)) return file;
  }
  throw new UserError(`no config file in ${cwd}`, {
    hint: `create ${CONFIG_FILE_NAMES[0]} with defineConfig, or pass --config FILE`,
  });
}

/** Validates a config object; every problem is reported at once with its path. */
export function validateConfig(raw: unknown, file: string, rootDir: string, display = file): ResolvedConfig {
  const result = configSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    const lines = formatIssues(result.error.issues, knownKeysAt);
    throw new UserError(
      `invalid config ${display}: ${lines.length} problem${lines.length === 1 ? '' : 's'}`,
      {
        details: lines,
      },
    );
  }
  const config = result.data;
  return { ...config, configFile: file, rootDir, reportsPath: resolve(rootDir, config.reportsDir) };
}

export async function loadConfig(
  cwd: string,
  explicit?: string,
  options: { cacheDir?: string | false } = {},
): Promise<ResolvedConfig> {
  const file = findConfigFile(cwd, explicit);
  const display = relative(cwd, file) || file;
  if (isDataConfig(file))
    return validateConfig(await readDataConfig(file, display), file, dirname(file), display);
  let raw: unknown;
  try {
    const jiti = userModuleLoader(options);
    raw = await jiti.import(file, { default: true });
  } catch (error) {
    throw new UserError(`could not load config ${display}: ${moduleLoadError(error, cwd)}`);
  }
  if (typeof raw === 'function') raw = await (raw as () => unknown)();
  return validateConfig(raw, file, dirname(file), display);
}

/** Where a config came from: the project's own file, or the Sevensa config that ships with Cutover. */
export type ConfigSource = 'project' | 'shipped';

/**
 * The config `cutover demo` simulates: the project's, or — in a folder without one, as right after
 * `npm install cutover` — the Sevensa platform's config that ships with Cutover. That one is read from
 * the installation (its Compose file and Kubernetes manifests are there too) and writes its reports in
 * the current folder, never inside the installation.
 */
export async function loadDemoConfig(
  cwd: string,
  explicit?: string,
): Promise<{ config: ResolvedConfig; source: ConfigSource }> {
  if (explicit || CONFIG_FILE_NAMES.some((name) => existsSync(join(cwd, name)))) {
    return { config: await loadConfig(cwd, explicit), source: 'project' };
  }
  const raw = (await importPackageModule('cutover.config')).default;
  const config = validateConfig(
    raw,
    packageFile('cutover.config'),
    PACKAGE_ROOT,
    'the shipped Sevensa config',
  );
  return { config: { ...config, reportsPath: resolve(cwd, config.reportsDir) }, source: 'shipped' };
}
