// The tool's own version, read from package.json wherever this file ends up (src/ under vitest, dist/src/
// when built), so records and baselines say which cutover wrote them.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageJson(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return file;
    dir = dirname(dir);
  }
  return undefined;
}

const pkgFile = findPackageJson();
export const TOOL_VERSION: string = pkgFile
  ? (JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string }).version
  : '0.0.0';
/** The project's root folder (where package.json is). */
export const PACKAGE_ROOT: string = pkgFile ? dirname(pkgFile) : process.cwd();
