// The transpiled config is cached only in folders of the user's own that nobody else can write to:
// jiti trusts a cached file that ends with the source's hash, which anyone who can read the config can
// compute. Anything short of that turns the cache off, quietly; the config still loads.
import { chmodSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { transpileCacheDir } from '../../src/config/transpile-cache.js';
import { tmpDir } from '../helpers/project.js';

const config = (project: string) => `import { defineConfig } from 'cutover';
export default defineConfig({
  project: ${JSON.stringify(project)},
  environments: {
    baseline: { kind: 'compose', composeFile: 'c.yml', services: { api: { url: 'http://127.0.0.1:9' } } },
    target: { kind: 'kubernetes', context: 'k', namespaces: ['n'], services: { api: { url: 'http://127.0.0.1:9' } } },
  },
  services: { api: { tier: 'application', phase: 3, health: { path: '/' } } },
});
`;

describe('the config transpile cache', () => {
  it('is a folder under ~/.cache/cutover made for the user alone', () => {
    const home = tmpDir('cache-home');
    const dir = transpileCacheDir(home);
    expect(dir).toBe(join(home, '.cache', 'cutover', 'jiti'));
    expect(statSync(dir as string).mode & 0o777).toBe(0o700);
  });

  it('is off when a folder on the way can be written by others, or is a link', () => {
    const open = tmpDir('cache-open');
    mkdirSync(join(open, '.cache', 'cutover', 'jiti'), { recursive: true });
    chmodSync(join(open, '.cache', 'cutover'), 0o777);
    expect(transpileCacheDir(open)).toBe(false);

    const linked = tmpDir('cache-link');
    const elsewhere = tmpDir('cache-elsewhere');
    mkdirSync(join(linked, '.cache', 'cutover'), { recursive: true, mode: 0o700 });
    symlinkSync(elsewhere, join(linked, '.cache', 'cutover', 'jiti'));
    expect(transpileCacheDir(linked)).toBe(false);

    const file = tmpDir('cache-file');
    writeFileSync(join(file, '.cache'), 'not a folder');
    expect(transpileCacheDir(file)).toBe(false);
  });

  it('keeps a transpiled config, and a changed config is read anew', async () => {
    const home = tmpDir('cache-use');
    const cacheDir = transpileCacheDir(home);
    const project = tmpDir('cache-project');
    writeFileSync(join(project, 'cutover.config.ts'), config('first'));
    expect((await loadConfig(project, undefined, { cacheDir })).project).toBe('first');
    expect(readdirSync(cacheDir as string).length).toBeGreaterThan(0);
    writeFileSync(join(project, 'cutover.config.ts'), config('second'));
    expect((await loadConfig(project, undefined, { cacheDir })).project).toBe('second');
    // Without a cache folder it loads all the same.
    expect((await loadConfig(project, undefined, { cacheDir: false })).project).toBe('second');
  });
});
