// Start-up structure, checked on the built CLI (not its speed — that is bench/startup.mjs): registering
// commands and listing suites import no implementation, and the heavy libraries (client-node,
// openid-client, undici, esbuild, …) load only in the commands and suites that use them. What a process
// loaded is read by the benchmark's lister (bench/startup-modules.mjs): ES modules through a loader
// hook, CommonJS ones from require.cache, so both kinds of package are seen.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSuites, SUITES } from '../../src/engine/suites.js';
import { CLI, ROOT, runCli, tmpDir } from '../helpers/project.js';

const LISTER = join(ROOT, 'bench/startup-modules.mjs');
const DIST = join(ROOT, 'dist');

/** Libraries that cost a command hundreds of milliseconds of CPU to import (bench/startup.mjs --packages). */
const HEAVY = [
  '@kubernetes/client-node',
  'openid-client',
  'oidc-provider',
  'undici',
  'esbuild',
  'playwright-core',
] as const;

interface Loaded {
  code: number | null;
  stdout: string;
  stderr: string;
  /** npm packages with at least one file loaded. */
  packages: string[];
  /** The project's own files loaded, relative to dist/. */
  own: string[];
}

const LISTS = tmpDir('startup');
let lists = 0;
/** Runs node with the lister preloaded: `script` is either ['-e', code] or the CLI and its arguments. */
function loaded(script: string[]): Loaded {
  const list = join(LISTS, `modules-${lists++}.txt`);
  const r = spawnSync(process.execPath, ['--import', LISTER, ...script], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', CUTOVER_MODULE_LIST: list },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const files = [
    ...new Set(
      readFileSync(list, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((f) => (f.startsWith('file:') ? new URL(f).pathname : f)),
    ),
  ];
  rmSync(list, { force: true });
  const packages = new Set<string>();
  const own: string[] = [];
  for (const f of files) {
    const m = f.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
    if (m) packages.add(m[1]!);
    else if (f.startsWith(`${DIST}/`)) own.push(f.slice(DIST.length + 1));
  }
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, packages: [...packages].sort(), own };
}

const importing = (distFile: string, then = '') =>
  loaded([
    '--input-type=module',
    '-e',
    `const m = await import(${JSON.stringify(pathToFileURL(join(DIST, distFile)).href)});${then}`,
  ]);

describe('start-up: what each entry point loads', () => {
  it('the module lister sees ES-module and CommonJS packages, so the checks below can fail', () => {
    // openid-client is an ES module, undici CommonJS: importing both must show both.
    const r = loaded(['--input-type=module', '-e', "await import('openid-client'); await import('undici');"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.packages).toEqual(expect.arrayContaining(['openid-client', 'undici']));
    expect(importing('src/runners/kube/client.js').packages).toContain('@kubernetes/client-node');
  });

  it('the command registry (commands/index.js) loads commander and the register files only', () => {
    const r = importing('src/cli/commands/index.js', 'console.log(m.COMMANDS.length);');
    expect(r.code, r.stderr).toBe(0);
    expect(Number(r.stdout.trim())).toBeGreaterThanOrEqual(13);
    expect(r.packages).toEqual(['commander']);
    const implementations = r.own.filter(
      (f) =>
        (f.startsWith('src/cli/commands/') && f !== 'src/cli/commands/index.js') ||
        /^(src\/runners|src\/engine|src\/config|sim|suites)\//.test(f),
    );
    expect(implementations).toEqual([]);
  });

  it('the suite registry names every suite without importing one', () => {
    const r = importing(
      'src/engine/suites.js',
      'console.log(JSON.stringify(m.SUITES.map((s) => [s.id, s.byDefault])));',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      ['smoke', true],
      ['data-parity', false],
      ['integration', true],
      ['performance', false],
      ['security', true],
      ['monitoring', true],
      ['backup', true],
      ['post-cutover', false],
      ['browser', false],
    ]);
    expect(r.packages).toEqual([]);
    expect(r.own.filter((f) => /^(src\/runners|src\/suites\/[a-z]+|suites)\//.test(f))).toEqual([]);
  });

  it('suites import their heavy libraries only where used', () => {
    // The performance suite on the embedded engine: no client-node (k6-operator), no esbuild (k6).
    const perf = importing('src/suites/performance/run.js');
    expect(perf.code, perf.stderr).toBe(0);
    expect(perf.packages).not.toContain('@kubernetes/client-node');
    expect(perf.packages).not.toContain('esbuild');
    // The integration suite: openid-client and undici come with the first token, not with the module.
    const integration = importing('src/suites/integration/run.js');
    expect(integration.code, integration.stderr).toBe(0);
    expect(integration.packages.filter((p) => p === 'openid-client' || p === 'undici')).toEqual([]);
    // The security suite: client-node only for a kubernetes environment.
    const security = importing('src/suites/security/run.js');
    expect(security.code, security.stderr).toBe(0);
    expect(security.packages).not.toContain('@kubernetes/client-node');
  });

  it('cutover --help, cutover perf --help and cutover watch --help load no package but commander', () => {
    for (const args of [['--help'], ['perf', '--help'], ['watch', '--help']]) {
      const r = loaded([CLI, ...args]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^Usage: cutover/);
      expect(r.packages, args.join(' ')).toEqual(['commander']);
    }
  });

  it('cutover perf --dry-run leaves out the cluster, OIDC, bundler and HTTP client libraries', () => {
    const r = loaded([CLI, 'perf', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Dry run: nothing was sent.');
    expect(r.packages.filter((p) => (HEAVY as readonly string[]).includes(p))).toEqual([]);
    // The performance suite itself is not imported for a plan that will not run, nor the run machinery
    // (evidence, gates, reports) and the histograms it reads.
    expect(r.own).not.toContain('src/runners/load/suite.js');
    expect(r.own).not.toContain('src/cli/commands/run.js');
    expect(r.packages).not.toContain('hdr-histogram-js');
  });

  it("a user's config importing 'cutover' loads the public API only: zod and yaml, no simulator, CLI or runner", () => {
    // As the package resolves itself (package.json exports), which is how an installed one is imported.
    const r = loaded([
      '--input-type=module',
      '-e',
      "const m = await import('cutover'); console.log(typeof m.defineConfig);",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('function');
    expect(r.packages).toEqual(['yaml', 'zod']);
    expect(r.own.filter((f) => /^(sim|src\/cli|src\/runners|src\/engine|suites|gates)\//.test(f))).toEqual(
      [],
    );
  });

  it('cutover security posture on manifest files does not import the cluster client', () => {
    const r = loaded([CLI, 'security', 'posture', '-f', 'deploy/k8s', '--json']);
    expect([0, 1]).toContain(r.code);
    expect(JSON.parse(r.stdout)).toHaveProperty('findings');
    expect(r.packages).not.toContain('@kubernetes/client-node');
  });
});

describe('start-up: lazily registered commands behave as before', () => {
  it('--help lists every command with its description, in registry order', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    const section = r.stdout.split('\nCommands:\n')[1] ?? '';
    // A command's line starts with its name after two spaces; wrapped descriptions are indented further.
    const commands = [...section.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]);
    expect(commands).toEqual([
      'init',
      'demo',
      'run',
      'perf',
      'watch',
      'k6',
      'sim',
      'report',
      'gate',
      'import',
      'plan',
      'history',
      'status',
      'baseline',
      'inventory',
      'data',
      'security',
      'doctor',
      'completion',
      'help',
    ]);
  });

  it("a command's own usage errors still come from its implementation, with exit code 2", async () => {
    // --threads is validated inside the perf implementation, which is imported when the command runs.
    const threads = await runCli(['perf', '--dry-run', '--threads', '0']);
    expect(threads.code).toBe(2);
    expect(threads.stderr).toContain('--threads 0: expected a whole number of at least 1');
    // Commander's own checks (choices) still run before any implementation is imported.
    const engine = await runCli(['perf', '--engine', 'nope']);
    expect(engine.code).toBe(2);
    expect(engine.stderr).toContain("argument 'nope' is invalid");
  });
});

describe('start-up: the suite registry', () => {
  it('each entry loads the suite it names, with the same default', async () => {
    const suites = await loadSuites(SUITES);
    expect(suites.map((s) => [s.id, s.byDefault])).toEqual(SUITES.map((e) => [e.id, e.byDefault]));
  });

  it('an entry that loads a different suite is a bug, said as such', async () => {
    const smoke = SUITES[0]!;
    await expect(loadSuites([{ ...smoke, id: 'other' }])).rejects.toThrow(
      'suite registry: entry other loads suite smoke',
    );
  });
});
