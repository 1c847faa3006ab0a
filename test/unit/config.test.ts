import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, validateConfig } from '../../src/config/load.js';
import { UserError } from '../../src/core/errors.js';
import { ROOT, tmpDir } from '../helpers/project.js';

// A config as plain data, typed loosely enough to be broken on purpose: known fields take any value of
// their JSON type, and any other key may be added (validateConfig reads unknown input).
interface RawEnvironment {
  kind: string;
  services: { api: { url: string }; [id: string]: { url: string } };
  [key: string]: unknown;
}
interface RawService {
  tier: string;
  phase: number;
  health: { path: string };
  [key: string]: unknown;
}
interface RawConfig {
  project: string;
  environments: { baseline: RawEnvironment; target: RawEnvironment };
  services: { api: RawService };
  [key: string]: unknown;
}

const minimal = (): RawConfig => ({
  project: 'p',
  environments: {
    baseline: {
      kind: 'compose',
      composeFile: 'docker-compose.yml',
      services: { api: { url: 'http://127.0.0.1:1' } },
    },
    target: {
      kind: 'kubernetes',
      context: 'ctx',
      namespaces: ['apps'],
      services: { api: { url: 'http://127.0.0.1:2' } },
    },
  },
  services: { api: { tier: 'application', phase: 3, health: { path: '/health' } } },
});

function problems(raw: unknown): string[] {
  try {
    validateConfig(raw, 'cutover.config.ts', '/x');
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    const e = error as UserError;
    expect(e.exitCode).toBe(2);
    return [...e.details];
  }
  throw new Error('expected the config to be rejected');
}

describe('config validation', () => {
  it('accepts a minimal config and fills in the defaults', () => {
    const c = validateConfig(minimal(), 'cutover.config.ts', '/x');
    expect(c.smoke).toEqual({
      probes: 3,
      timeoutMs: 5000,
      concurrency: 8,
      maxBodyBytes: 1048576,
      certMinDays: 14,
    });
    expect(c.services.api!.health.status).toBe(200);
    expect(c.services.api!.public).toBe(true);
    expect(c.environments.target!.resolve).toEqual({});
    expect(c.reportsPath).toBe('/x/reports');
  });

  it('names the path, what was expected and what came, for a bad URL', () => {
    const raw = minimal();
    raw.environments.target.services.api.url = 'foo';
    expect(problems(raw)).toEqual([
      'environments.target.services.api.url: expected an http(s) URL, got "foo"',
    ]);
  });

  it('refuses credentials in a URL without repeating them', () => {
    const raw = minimal();
    raw.environments.baseline.services.api.url = 'http://admin:s3cret@127.0.0.1:2/app';
    const found = problems(raw);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^environments\.baseline\.services\.api\.url: the URL must not carry credentials/,
    );
    expect(found.join('\n')).not.toContain('s3cret');
    // An @ after the host is part of the path, not credentials.
    raw.environments.baseline.services.api.url = 'http://127.0.0.1:2/users/@me';
    expect(() => validateConfig(raw, 'cutover.config.ts', '/x')).not.toThrow();
  });

  it('reports every problem at once, not only the first', () => {
    const raw = minimal();
    raw.services.api.phase = 9;
    raw.services.api.tier = 'app';
    raw.services.api.health.path = 'health';
    raw.environments.baseline.services.api.url = 'ftp://x';
    const lines = problems(raw);
    expect(lines).toHaveLength(4);
    expect(lines).toContain('services.api.phase: expected at most 5, got 9');
    expect(lines.some((l) => l.startsWith('services.api.tier: expected "infrastructure" or'))).toBe(true);
    expect(lines).toContain('services.api.health.path: expected a path starting with "/", got "health"');
    expect(lines).toContain('environments.baseline.services.api.url: expected an http(s) URL, got "ftp://x"');
  });

  it('suggests the key that was meant when a key is misspelt', () => {
    const raw = minimal();
    raw.services.api.helth = {};
    raw.smoke = { timeoutMS: 10 };
    const lines = problems(raw);
    expect(lines).toContain('services.api.helth: unknown key; did you mean "health"?');
    expect(lines).toContain('smoke.timeoutMS: unknown key; did you mean "timeoutMs"?');
  });

  it('requires a compose baseline and a kubernetes target', () => {
    const raw = minimal();
    raw.environments.target.kind = 'kubernets';
    expect(problems(raw)).toEqual([
      'environments.target.kind: expected kind "compose" or "kubernetes", got "kubernets"',
    ]);
    const full = minimal();
    const noTarget = { ...full, environments: { baseline: full.environments.baseline } };
    expect(problems(noTarget)).toEqual(['environments.target: missing; expected a kubernetes environment']);
    const swapped = minimal();
    swapped.environments.baseline = { ...swapped.environments.target };
    expect(problems(swapped)).toEqual(['environments.baseline.kind: expected "compose", got "kubernetes"']);
  });

  it('rejects an environment service that the config does not declare', () => {
    const raw = minimal();
    raw.environments.target.services.ghost = { url: 'http://127.0.0.1:3' };
    expect(problems(raw)).toEqual([
      'environments.target.services.ghost: unknown service "ghost"; declare it under services',
    ]);
  });

  it('checks pinned addresses and quotes keys that contain dots', () => {
    const raw = minimal();
    raw.environments.target.resolve = { 'api.example.test': 'not-an-ip', 'ok.example.test:443': '127.0.0.2' };
    expect(problems(raw)).toEqual([
      'environments.target.resolve["api.example.test"]: expected an IP address, got "not-an-ip"',
    ]);
  });

  it('loads the shipped Sevensa config with every service on both environments', async () => {
    const c = await loadConfig(ROOT);
    const ids = Object.keys(c.services);
    expect(ids).toHaveLength(18);
    expect(ids).toEqual(
      expect.arrayContaining(['openbao', 'keycloak', 'psra-origin-engine', 'trading-dashboard']),
    );
    expect(Object.keys(c.environments.baseline!.services)).toEqual(ids);
    expect(Object.keys(c.environments.target!.services)).toEqual(ids);
    expect(c.environments.target!.kind).toBe('kubernetes');
    expect(c.services['rentguy-api']).toMatchObject({ phase: 3, wave: 'rentguy', tier: 'application' });
  });

  it('says where a config file failed to load, without a stack trace', async () => {
    const dir = tmpDir('config-syntax');
    writeFileSync(join(dir, 'cutover.config.ts'), 'export default {\n');
    await expect(loadConfig(dir)).rejects.toThrow(
      /could not load config cutover\.config\.ts: .*cutover\.config\.ts:2/,
    );
    await expect(loadConfig(tmpDir('config-none'))).rejects.toThrow(/no config file in/);
    await expect(loadConfig(dir, 'nope.ts')).rejects.toThrow('config file not found: nope.ts');
  });

  it('names a missing import and the file that imports it, with no dangling "Require stack:"', async () => {
    const dir = tmpDir('config-missing-import');
    writeFileSync(join(dir, 'cutover.config.ts'), "import x from './nope.js';\nexport default { x };\n");
    const error = await loadConfig(dir).catch((e: Error) => e);
    expect((error as Error).message).toBe(
      "could not load config cutover.config.ts: cannot find module './nope.js', imported by cutover.config.ts",
    );
    // One level down: the helper the config imports is the one missing a module.
    writeFileSync(join(dir, 'cutover.config.ts'), "import x from './helper.mjs';\nexport default { x };\n");
    writeFileSync(join(dir, 'helper.mjs'), "import y from 'no-such-package';\nexport default y;\n");
    const nested = await loadConfig(dir).catch((e: Error) => e);
    expect((nested as Error).message).toBe(
      "could not load config cutover.config.ts: cannot find module 'no-such-package', imported by helper.mjs",
    );
    expect((nested as Error).message).not.toContain('Require stack');
  });
});
