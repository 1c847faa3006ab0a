// What `npm pack` puts in the tarball (package.json `files`): everything an installed Cutover runs —
// the built CLI, the simulator `cutover demo` starts, the Sevensa config, suites and gates it ships,
// the demo's Compose file and manifests, the published JSON Schemas — and none of the repository's
// own tests, sources, source maps or tooling. The install itself, under Node 20, 22 and 24, is
// scripts/pack-check.mjs's (CI runs it; too slow for `npm test`).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, normalize } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/project.js';

interface PackedFile {
  path: string;
  size: number;
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
  dependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
};
let files: PackedFile[] = [];
let paths = new Set<string>();

beforeAll(() => {
  // --ignore-scripts: list the dist/ the test run built (prepack would rebuild it).
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  files = (JSON.parse(out) as { files: PackedFile[] }[])[0]!.files;
  paths = new Set(files.map((f) => f.path));
}, 60_000);

describe('npm pack', () => {
  it('holds what an installed Cutover runs', () => {
    for (const needed of [
      'package.json',
      'README.md',
      'bin/cutover.js',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/cli/main.js',
      'dist/src/runners/load/worker.js',
      'dist/sim/index.js',
      'dist/cutover.config.js',
      'dist/suites/smoke/services.js',
      'dist/suites/integration/index.js',
      'dist/suites/performance/index.js',
      'dist/gates/index.js',
      'deploy/docker-compose.yml',
      'deploy/k8s/30-applications.yaml',
      'schemas/cutover.gate-report.v1.json',
      'schemas/cutover.config.schema.json',
    ])
      expect(paths, needed).toContain(needed);
    const entries = [
      ...Object.values(pkg.bin),
      ...Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e))),
    ];
    for (const entry of entries) {
      // A pattern export (`./schemas/*.json`) must match at least one packed file.
      const escaped = normalize(entry)
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
      const pattern = new RegExp(`^${escaped.join('.+')}$`);
      expect(
        [...paths].some((p) => pattern.test(p)),
        entry,
      ).toBe(true);
    }
  });

  it('holds none of the repository’s tests, sources, maps or tooling', () => {
    const unwanted = [...paths].filter(
      (p) =>
        /^(test|src|sim|suites|gates|bench|scripts|docs|examples|reports|baselines|node_modules|\.ci|\.cache)\//.test(
          p,
        ) ||
        p.endsWith('.map') ||
        (p.endsWith('.ts') && !p.endsWith('.d.ts')) ||
        /^dist\/(sim|suites|gates)\/.*\.d\.ts$/.test(p) ||
        /^(tsconfig.*|biome|vitest\.config)\.\w+$/.test(p) ||
        p === 'cutover.config.ts',
    );
    expect(unwanted).toEqual([]);
    const unpacked = files.reduce((n, f) => n + f.size, 0);
    expect(unpacked).toBeLessThan(4 * 1024 * 1024);
  });

  it('every module a packed file imports is packed too, or a declared dependency', () => {
    const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies ?? {})]);
    const builtins = new Set(builtinModules);
    const missing: string[] = [];
    for (const file of [...paths].filter((p) => p.endsWith('.js'))) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const [, spec] of text.matchAll(
        /(?:^|[\s;])(?:import|export)\b[^'"`]*?from\s*['"]([^'"]+)['"]/gm,
      )) {
        checkSpecifier(file, spec!);
      }
      for (const [, spec] of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g))
        checkSpecifier(file, spec!);
    }
    function checkSpecifier(file: string, spec: string) {
      if (spec.startsWith('.')) {
        const target = normalize(join(dirname(file), spec));
        if (!paths.has(target)) missing.push(`${file}: ${spec}`);
        return;
      }
      if (spec.startsWith('node:') || builtins.has(spec)) return;
      // The package's own exports ('cutover', 'cutover/browser'), as the shipped config, gates and specs
      // import them: each must be an export whose file is packed.
      if (spec === 'cutover' || spec.startsWith('cutover/')) {
        const sub = spec === 'cutover' ? '.' : `./${spec.slice('cutover/'.length)}`;
        const entry = (pkg.exports as Record<string, unknown>)[sub];
        const target =
          typeof entry === 'string' ? entry : (entry as { default?: string } | undefined)?.default;
        if (!target || !paths.has(normalize(target)))
          missing.push(`${file}: ${spec} (not an export of the package)`);
        return;
      }
      // k6's own modules: in the scripts Cutover writes for k6, never imported by Node.
      if (spec === 'k6' || spec.startsWith('k6/')) return;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
      if (!declared.has(name)) missing.push(`${file}: ${spec} (not in dependencies)`);
    }
    expect(missing).toEqual([]);
  });
});
