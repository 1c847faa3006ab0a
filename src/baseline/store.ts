// Reads and writes recorded baselines under the project's baselines/ folder.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import { UserError } from '../core/errors.js';
import { writeFileAtomic } from '../record/files.js';
import { type Baseline, baselineSchema } from './format.js';

export const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function baselinesDir(config: ResolvedConfig): string {
  return join(config.rootDir, 'baselines');
}

export function writeBaseline(config: ResolvedConfig, baseline: Baseline): string {
  if (!NAME.test(baseline.name))
    throw new UserError(`--name ${JSON.stringify(baseline.name)}: expected letters, digits, dots, dashes`);
  const file = join(baselinesDir(config), `${baseline.name}.json`);
  writeFileAtomic(file, `${JSON.stringify(baseline)}\n`);
  return file;
}

/** The baseline recorded under this name, if there is one (a broken file is an error, not nothing). */
export function existingBaseline(config: ResolvedConfig, name: string): Baseline | undefined {
  const file = join(baselinesDir(config), `${name}.json`);
  return NAME.test(name) && existsSync(file) ? readBaseline(config, file, config.rootDir) : undefined;
}

/** A baseline by name (baselines/NAME.json) or by path. */
export function readBaseline(config: ResolvedConfig, nameOrPath: string, cwd: string): Baseline {
  const candidates = [
    join(baselinesDir(config), `${nameOrPath}.json`),
    isAbsolute(nameOrPath) ? nameOrPath : resolve(cwd, nameOrPath),
  ];
  const file = candidates.find((f) => existsSync(f) && f.endsWith('.json'));
  if (!file) {
    const known = existsSync(baselinesDir(config))
      ? readdirSync(baselinesDir(config))
          .filter((f) => f.endsWith('.json'))
          .map((f) => f.slice(0, -5))
      : [];
    throw new UserError(
      `no baseline "${nameOrPath}"${known.length ? `; recorded: ${known.join(', ')}` : ' (none recorded yet)'}`,
      {
        hint: 'cutover baseline record <run> --name NAME records one',
      },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = baselineSchema.safeParse(raw);
  if (!parsed.success)
    throw new UserError(`${file} is not a cutover baseline (cutover.baseline/v1)`, {
      details: parsed.error.issues.slice(0, 8).map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`),
    });
  return parsed.data;
}
