// How cutover imports the user's own files — config, gates, integration and performance scenarios:
// through jiti, so TypeScript needs no build step; with `import … from 'cutover'` resolving to this
// installation wherever the file lives (Node's self-reference would only work inside this package's
// folder); and with transpiled code cached only in the user's private folder (transpile-cache.ts).
import { fileURLToPath } from 'node:url';
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
