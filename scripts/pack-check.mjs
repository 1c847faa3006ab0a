#!/usr/bin/env node
// The package as a user gets it, checked end to end (CI runs it after `npm test`; it is not part of
// `npm test`: it installs from the npm registry and runs the demo, one to three minutes):
//   1. `npm pack` → a tarball, installed with `npm install <tarball>` into an empty folder under the
//      temp dir, as `npm install cutover` would (dependencies from the registry, through the npm cache);
//   2. a user's typed `cutover.config.ts` importing from 'cutover', type-checked by tsc against the
//      installed declarations (strict, without skipLibCheck);
//   3. with each Node.js major given: `npx cutover --version`, `npx cutover demo` in the empty folder
//      (the first major runs the whole demo; the others the smoke, integration and security suites),
//      the user's config run by the CLI, and a misspelt setting refused with its path (exit 2); on the
//      first major also the same config as YAML, beside the JSON Schema the package ships, and
//      `cutover k6 build` (esbuild, whose install script npm 11 does not run unapproved).
// One install serves every major: the check fails if a dependency brings a native addon (*.node), the
// one thing that would tie node_modules to a Node version.
//   node scripts/pack-check.mjs [--no-build] [--keep] [MAJOR...]   (default: the running Node's major)
//   --no-build   pack the dist/ already built (CI: `npm test` has just built it), skipping prepack
//   --keep       leave the temp folder for a look afterwards
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const noBuild = args.includes('--no-build');
const keep = args.includes('--keep');
const majors = args.filter((a) => /^\d+$/.test(a));
if (majors.length === 0) majors.push(process.versions.node.split('.')[0]);
const unknown = args.filter((a) => !/^\d+$/.test(a) && a !== '--no-build' && a !== '--keep');
if (unknown.length > 0) {
  process.stderr.write(`pack-check: unknown argument ${unknown[0]}\n`);
  process.exit(2);
}

const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
let failures = 0;

function step(title) {
  process.stdout.write(`\n== ${title}\n`);
  return Date.now();
}
function ok(what) {
  process.stdout.write(`  ok    ${what}\n`);
}
function fail(what, detail = '') {
  failures++;
  process.stdout.write(`  FAIL  ${what}\n${detail ? `${detail.replace(/^/gm, '        ')}\n` : ''}`);
}
function check(condition, what, detail) {
  if (condition) ok(what);
  else fail(what, detail);
  return condition;
}

/** Runs a command to completion; its output is returned, and shown when the command fails. */
function run(command, argv, { cwd, env = {}, timeoutMs = 300_000 } = {}) {
  const r = spawnSync(command, argv, {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}
const tail = (text, lines = 15) => text.trimEnd().split('\n').slice(-lines).join('\n');

function freePort() {
  return new Promise((done, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

function findFiles(dir, test, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) findFiles(path, test, found);
    else if (test(entry.name)) found.push(path);
  }
  return found;
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// --- 1. pack and install ---------------------------------------------------------------------------
const work = mkdtempSync(join(tmpdir(), 'cutover-pack-'));
const project = join(work, 'project');
mkdirSync(project);
let t = step(`npm pack${noBuild ? ' (the dist/ already built)' : ' (prepack builds dist/ afresh)'}`);
if (noBuild && !existsSync(join(ROOT, 'dist/src/cli/main.js'))) {
  fail('dist/ is built', 'run `npm run build` first, or leave out --no-build');
  process.exit(1);
}
const packed = run(
  'npm',
  ['pack', '--json', '--pack-destination', work, ...(noBuild ? ['--ignore-scripts'] : [])],
  {
    cwd: ROOT,
  },
);
const packInfo = parseJson(packed.stdout)?.[0];
if (!check(packed.code === 0 && packInfo, `packed (${seconds(t)})`, tail(packed.stderr))) process.exit(1);
const tarball = join(work, packInfo.filename);
ok(`${packInfo.filename}: ${packInfo.entryCount} files, ${(packInfo.size / 1024).toFixed(0)} KiB`);

t = step(`npm install ${packInfo.filename} into an empty folder (${project})`);
writeFileSync(
  join(project, 'package.json'),
  `${JSON.stringify({ name: 'pack-check', private: true }, null, 2)}\n`,
);
const installed = run(
  'npm',
  ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball],
  { cwd: project, timeoutMs: 600_000 },
);
if (!check(installed.code === 0, `installed (${seconds(t)})`, tail(installed.stderr))) process.exit(1);
const modules = join(project, 'node_modules');
const addons = findFiles(modules, (name) => name.endsWith('.node'));
check(
  addons.length === 0,
  'no native addons: one install serves every Node.js major',
  addons.slice(0, 5).join('\n'),
);
for (const devOnly of ['vitest', '@biomejs/biome', 'typescript', '@playwright/test']) {
  check(!existsSync(join(modules, devOnly)), `${devOnly} not installed (not a runtime dependency)`);
}

// --- 2. a user's typed config ----------------------------------------------------------------------
t = step("a user's cutover.config.ts, type-checked against the installed declarations");
const userDir = join(project, 'my-service');
mkdirSync(userDir);
const [basePort, targetPort] = [await freePort(), await freePort()];
const config = (smoke) => `import { defineConfig, type UserConfig } from 'cutover';

const services: UserConfig['services'] = {
  'rentguy-api': {
    tier: 'application',
    phase: 3,
    wave: 'rentguy',
    health: { path: '/health', json: { status: 'healthy' } },
  },
};

export default defineConfig({
  project: 'pack-check',
  environments: {
    baseline: {
      kind: 'compose',
      composeFile: './docker-compose.yml',
      services: { 'rentguy-api': { url: 'http://127.0.0.1:${basePort}' } },
    },
    target: {
      kind: 'kubernetes',
      context: 'pack-check',
      namespaces: ['apps'],
      services: { 'rentguy-api': { url: 'http://127.0.0.1:${targetPort}' } },
    },
  },
  services,
${smoke}
});
`;
writeFileSync(join(userDir, 'cutover.config.ts'), config('  smoke: { probes: 2, timeoutMs: 5000 },'));
writeFileSync(
  join(userDir, 'typo.config.ts'),
  config(
    '  // @ts-expect-error -- the types are live: a misspelt setting is a type error\n  smoke: { probes: 2, timeoutMS: 5000 },',
  ),
);
writeFileSync(
  join(userDir, 'tsconfig.json'),
  `${JSON.stringify(
    {
      compilerOptions: {
        strict: true,
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        noEmit: true,
        skipLibCheck: false,
      },
      include: ['*.config.ts'],
    },
    null,
    2,
  )}\n`,
);
// The repository's TypeScript: the check is of the package's declarations, which resolve from the
// user's folder whichever tsc reads them.
const tsc = run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
  cwd: userDir,
});
check(
  tsc.code === 0,
  `tsc: the config type-checks, and a misspelt setting is a type error (${seconds(t)})`,
  tail(tsc.stdout + tsc.stderr),
);

// The same config as data, naming the JSON Schema the package ships, as an editor would read it.
const yamlDir = join(project, 'my-yaml-service');
mkdirSync(yamlDir);
const schemaFile = join(modules, 'cutover/schemas/cutover.config.schema.json');
check(
  existsSync(schemaFile),
  'the JSON Schema ships: node_modules/cutover/schemas/cutover.config.schema.json',
);
writeFileSync(
  join(yamlDir, 'cutover.config.yaml'),
  `# yaml-language-server: $schema=../node_modules/cutover/schemas/cutover.config.schema.json
project: pack-check-yaml
environments:
  baseline:
    kind: compose
    composeFile: ./docker-compose.yml
    services: { rentguy-api: { url: "http://127.0.0.1:${basePort}" } }
  target:
    kind: kubernetes
    context: pack-check
    namespaces: [apps]
    services: { rentguy-api: { url: "http://127.0.0.1:${targetPort}" } }
services:
  rentguy-api: { tier: application, phase: 3, health: { path: /health, json: { status: healthy } } }
`,
);

// --- 3. the CLI under each Node.js major -----------------------------------------------------------
for (const [index, major] of majors.entries()) {
  const fetched = run('bash', [join(ROOT, 'scripts/fetch-node.sh'), major], {
    cwd: ROOT,
    timeoutMs: 600_000,
  });
  if (!check(fetched.code === 0, `Node.js ${major} available`, tail(fetched.stderr))) continue;
  const env = { PATH: `${fetched.stdout.trim()}:${process.env.PATH}`, CI: '1' };
  // `--no`: never fetch a package of that name from the registry; `--`: the rest is cutover's, not npx's.
  const npx = (cwd, argv, timeoutMs) =>
    run('npx', ['--no', '--', 'cutover', ...argv], { cwd, env, timeoutMs });

  t = step(`Node.js ${major}: npx cutover --version`);
  const version = npx(project, ['--version']);
  check(
    version.code === 0 && version.stdout.includes(`(Node v${major}.`),
    `npx cutover --version: ${version.stdout.trim()}`,
    tail(version.stderr),
  );

  const whole = index === 0;
  const suites = whole ? [] : ['--suite', 'smoke,integration,security'];
  t = step(`Node.js ${major}: npx cutover demo${whole ? '' : ` ${suites.join(' ')}`} in the empty folder`);
  const demo = npx(project, ['demo', '--json', ...suites], 400_000);
  const result = parseJson(demo.stdout);
  // The verdict is what the demo shows, not whether the package works: the performance comparison on a
  // busy machine can be NO-GO (as in scripts/setup.sh). A crash (70), a usage error (2) or a record
  // left incomplete fails the check; so does a smoke gate that is not GO (the simulator answers).
  if (
    check(
      [0, 1, 3].includes(demo.code) && result?.status === 'completed',
      `the demo ran to its verdict: ${result?.verdict ?? '?'}, exit ${demo.code} (${seconds(t)})`,
      tail(demo.stderr),
    )
  ) {
    const smokeGate = result.gates.find((g) => g.id === 'smoke');
    check(smokeGate?.verdict === 'GO', `smoke gate: ${smokeGate?.verdict}`, result.verdictReason);
    check(
      existsSync(join(project, result.reportDir, 'report.html')),
      `its reports in the current folder: ${result.reportDir}/`,
    );
    check(
      demo.stderr.includes('No cutover config in this folder'),
      'says it simulates the config Cutover ships with',
    );
  }
  check(!existsSync(join(modules, 'cutover/reports')), 'nothing written inside the installation');

  t = step(`Node.js ${major}: the user's cutover.config.ts run by the CLI`);
  const own = npx(userDir, ['demo', '--suite', 'smoke', '--json'], 120_000);
  const ownResult = parseJson(own.stdout);
  check(
    own.code === 0 && ownResult?.verdict === 'GO' && ownResult.checks.failed === 0,
    `npx cutover demo --suite smoke with the typed config: ${ownResult?.verdict ?? '?'}, exit ${own.code} (${seconds(t)})`,
    tail(own.stderr),
  );
  const typo = npx(userDir, ['--config', 'typo.config.ts', 'demo', '--suite', 'smoke']);
  check(
    typo.code === 2 && typo.stderr.includes('smoke.timeoutMS: unknown key; did you mean "timeoutMs"?'),
    'a misspelt setting: exit 2, naming its path',
    tail(typo.stderr),
  );

  if (whole) {
    // esbuild from the installed package (its install script never ran: npm 11 skips it unapproved).
    t = Date.now();
    const k6 = npx(userDir, ['k6', 'build', '--out', 'k6'], 120_000);
    check(
      k6.code === 0 && existsSync(join(userDir, 'k6/rentguy.js')),
      `npx cutover k6 build bundles the shipped load scenarios (${seconds(t)})`,
      tail(k6.stderr),
    );
    t = Date.now();
    const yaml = npx(yamlDir, ['demo', '--suite', 'smoke', '--json'], 120_000);
    const yamlResult = parseJson(yaml.stdout);
    check(
      yaml.code === 0 && yamlResult?.verdict === 'GO',
      `a cutover.config.yaml run by the CLI: ${yamlResult?.verdict ?? '?'}, exit ${yaml.code} (${seconds(t)})`,
      tail(yaml.stderr),
    );
  }

  // ----- `npx cutover init --compose …` goes here (issue 18, item 1; added once `cutover init` is
  // merged): init a project from a Compose file in a fresh empty folder, then run its config.
}

process.stdout.write(
  `\n${failures === 0 ? 'pack check passed' : `pack check FAILED: ${failures} problem(s)`} in ${seconds(started)} (Node ${majors.join(', ')})${keep ? `; kept ${work}` : ''}\n`,
);
if (!keep) rmSync(work, { recursive: true, force: true });
process.exit(failures === 0 ? 0 : 1);
