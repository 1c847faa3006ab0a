// How cutover imports the user's own files — config, gates, integration and performance scenarios:
// through jiti, so TypeScript needs no build step; with `import … from 'cutover'` resolving to this
// installation wherever the file lives (Node's self-reference would only work inside this package's
// folder); and with transpiled code cached only in the user's private folder (transpile-cache.ts).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createJiti } from 'jiti';
import { transpileCacheDir } from './transpile-cache.js';

export type UserModuleLoader = ReturnType<typeof createJiti>;

const CUTOVER = fileURLToPath(new URL('../index.js', import.meta.url));
let defaultCache: string | false | undefined;

/** A loader for user modules; `cacheDir` overrides the private cache folder (false: no cache). */
export function userModuleLoader(options: { cacheDir?: string | false } = {}): UserModuleLoader {
  defaultCache ??= transpileCacheDir();
  return createJiti(import.meta.url, {
    // Every command reads the files afresh: an edited scenario is never served from a module cache.
    moduleCache: false,
    fsCache: options.cacheDir ?? defaultCache,
    alias: { cutover: CUTOVER },
  });
}

/**
 * The Sevensa platform's own data that ships with Cutover — built-in integration flows, load scenarios,
 * phase gates (the repository's suites/ and gates/) — by its path from the package root, without an
 * extension: the built JavaScript beside dist/src when there is one, else the TypeScript source (tests
 * run from source). These files import only from 'cutover', as a user's project does.
 */
export function packageFile(stem: string): string {
  for (const ext of ['.js', '.ts']) {
    const file = fileURLToPath(new URL(`../../${stem}${ext}`, import.meta.url));
    if (existsSync(file)) return file;
  }
  throw new Error(`cutover's own ${stem} is missing from this installation`);
}

/**
 * Imports one of Cutover's own data modules (packageFile). Built JavaScript is imported natively — inside
 * the package folder Node resolves 'cutover' to this installation itself — and TypeScript through jiti.
 */
export async function importPackageModule(stem: string): Promise<Record<string, unknown>> {
  const file = packageFile(stem);
  if (file.endsWith('.js')) return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  return (await userModuleLoader({ cacheDir: false }).import(file)) as Record<string, unknown>;
}
