// Golden files: a rendering compared with the one stored in test/fixtures/golden/. UPDATE_GOLDEN=1
// rewrites them (review the diff); a missing one is written on a developer's machine, but fails the
// test when CI is set — a golden file written by the run it checks would prove nothing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { ROOT } from './project.js';

export const GOLDEN = join(ROOT, 'test/fixtures/golden');

/** Compares `text` with the golden file `name` (relative to test/fixtures/golden/). */
export function expectGolden(
  name: string,
  text: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): void {
  const file = join(GOLDEN, name);
  if (env.UPDATE_GOLDEN || (!existsSync(file) && !env.CI)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  if (!existsSync(file))
    throw new Error(
      `no golden file ${name}: run the test without CI set (or with UPDATE_GOLDEN=1) and commit the file it writes`,
    );
  expect(text).toBe(readFileSync(file, 'utf8'));
}
