#!/usr/bin/env node
// Browser suite benchmark (not part of `npm test`): `npm run build && node bench/browser-suite.mjs [--runs N]`.
// The platform's frontend specs (suites/browser/) against a running `cutover sim`, on both environments:
//   suite  `cutover run --suite browser`: Playwright once per environment, captures (the config's loads,
//          screenshot, axe), the comparison, the record and reports — the whole CLI process;
//   plain  `playwright test` of the same specs, the same Chromium and host pins, both environments'
//          projects in one run, without Cutover (capture() does nothing outside it).
// The difference is the overhead of parity. Wall time per run, median / best / worst over N runs.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin', 'cutover.js');
const argv = process.argv.slice(2);
const runsAt = argv.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(argv[runsAt + 1]) : 3;

const { loadConfig } = await import(join(ROOT, 'dist/src/config/load.js'));
const config = await loadConfig(ROOT);
const service = config.browser.service;
const pwDir = dirname(createRequire(import.meta.url).resolve('@playwright/test/package.json'));

const sim = spawn(process.execPath, [CLI, 'sim'], { cwd: ROOT, stdio: 'ignore', detached: true });
const stopSim = () => {
  try {
    process.kill(-sim.pid, 'SIGINT');
  } catch {}
};
process.on('exit', stopSim);
const base = config.environments.baseline.services[service].url;
for (let i = 0; i < 100; i++) {
  if (
    await fetch(base).then(
      () => true,
      () => false,
    )
  )
    break;
  await new Promise((r) => setTimeout(r, 200));
}

function time(cmd, args, env = {}) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'pipe' });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0)
    process.stderr.write(`${args.join(' ')} exited ${r.status}\n${String(r.stdout).slice(-800)}\n`);
  return ms;
}

const work = mkdtempSync(join(tmpdir(), 'cutover-bench-browser-'));
const rules = (env) =>
  Object.entries(config.environments[env].resolve)
    .map(([h, a]) => `MAP ${h} ${a}`)
    .join(', ');
writeFileSync(
  join(work, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: {
      baseUrl: '.',
      paths: {
        '@playwright/test': [join(pwDir, 'index.mjs')],
        'cutover/browser': [join(ROOT, 'dist/src/browser.js')],
      },
    },
  }),
);
const projects = ['baseline', 'target'].map((env) => ({
  name: env,
  use: {
    baseURL: config.environments[env].services[service].url,
    launchOptions: {
      executablePath: config.browser.executablePath,
      args: rules(env) ? [`--host-resolver-rules=${rules(env)}`] : [],
    },
  },
}));
writeFileSync(
  join(work, 'playwright.config.mjs'),
  `export default ${JSON.stringify({ testDir: join(ROOT, config.browser.specDir), tsconfig: join(work, 'tsconfig.json'), workers: 1, reporter: [['dot']], outputDir: join(work, 'out'), projects })};\n`,
);

const measure = (label, fn) => {
  const runs = Array.from({ length: RUNS }, fn).sort((a, b) => a - b);
  return { label, median: runs[Math.floor(runs.length / 2)], best: runs[0], worst: runs[runs.length - 1] };
};
const rows = [
  measure('plain playwright test', () =>
    time(process.execPath, [join(pwDir, 'cli.js'), 'test', '--config', join(work, 'playwright.config.mjs')]),
  ),
  measure('cutover run --suite browser', () =>
    time(process.execPath, [CLI, 'run', '--suite', 'browser', '--json']),
  ),
];
stopSim();
rmSync(work, { recursive: true, force: true });
const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
console.log(
  `${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}, ${RUNS} runs each, loads per capture: ${config.browser.loads}`,
);
for (const r of rows)
  console.log(`${r.label}: median ${s(r.median)}, best ${s(r.best)}, worst ${s(r.worst)}`);
