#!/usr/bin/env node
// Start-up benchmark (not part of `npm test`): `npm run bench:startup`. How long the built CLI takes to
// answer commands that do almost no work of their own, so what is measured is start-up: Node, the
// modules the command imports, and the exit. `cutover perf` is in it because the load benchmark
// measures the whole `cutover perf` process, start-up included.
//   node bench/startup.mjs [--runs N]    median/best/worst wall and CPU time per command over N runs
//   node bench/startup.mjs --modules     which packages each command loads (file count per package)
//   node bench/startup.mjs --packages    the import cost of each dependency on its own, in a bare Node,
//                                        and of the modules a real `cutover perf` adds to its dry run
// CPU is user + system time of the whole CLI process (every thread), read by the process itself at
// exit through a preloaded probe (bench/startup-probe.mjs) and handed back on file descriptor 3.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin', 'cutover.js');
const PROBE = join(ROOT, 'bench', 'startup-probe.mjs');
const argv = process.argv.slice(2);
const runsAt = argv.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(argv[runsAt + 1]) : 15;
if (!Number.isInteger(RUNS) || RUNS < 1) {
  process.stderr.write('bench: --runs expects a whole number of at least 1\n');
  process.exit(2);
}

/** What is measured: each answers from the shipped config (cutover.config.ts) and sends nothing. */
const COMMANDS = [['--help'], ['plan', '--help'], ['perf', '--dry-run']];

const HEAVY = [
  '@kubernetes/client-node',
  'openid-client',
  'oidc-provider',
  'undici',
  'esbuild',
  'playwright-core',
  'autocannon',
  'jose',
  'prom-client',
  'yaml',
  'jiti',
  'zod',
  'hdr-histogram-js',
  'p-limit',
  'commander',
];

// (worker.js itself needs workerData, so the thread's scenario loader stands for what a thread imports.)
const PERF_MODULES = ['dist/src/runners/load/suite.js', 'dist/src/runners/load/scenario-loader.js'];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => `${x.toFixed(0)} ms`;
const label = (args) => (args === null ? 'node -e "" (no CLI: the floor)' : `cutover ${args.join(' ')}`);

/** One process; `args` null runs an empty script instead of the CLI: the floor any command stands on. */
function runOnce(args, extraNodeArgs = [], env = process.env) {
  const script = args === null ? ['-e', ''] : [CLI, ...args];
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...extraNodeArgs, '--import', PROBE, ...script], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    maxBuffer: 16 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) {
    process.stderr.write(`bench: ${label(args)} exited ${r.status}\n${r.stderr}\n`);
    process.exit(1);
  }
  const cpu = JSON.parse(r.output[3].toString());
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function timings() {
  console.log(
    `Start-up of the built CLI, ${RUNS} runs per command after one unmeasured run (Node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)} before)`,
  );
  console.log('');
  console.log('| command | wall median | wall best | wall worst | CPU median | CPU best | CPU worst |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const args of [null, ...COMMANDS]) {
    runOnce(args);
    const samples = Array.from({ length: RUNS }, () => runOnce(args));
    const wall = samples.map((s) => s.wallMs);
    const cpu = samples.map((s) => s.cpuMs);
    console.log(
      `| \`${label(args)}\` | ${ms(median(wall))} | ${ms(Math.min(...wall))} | ${ms(Math.max(...wall))} | ${ms(median(cpu))} | ${ms(Math.min(...cpu))} | ${ms(Math.max(...cpu))} |`,
    );
  }
  console.log('');
  console.log(`load average after: ${loadavg()[0].toFixed(1)}`);
}

/** The files each command loads, per package, through a loader hook (ESM) and require.cache (CommonJS). */
function modules() {
  for (const args of COMMANDS) {
    const list = join(tmpdir(), `cutover-startup-modules-${process.pid}.txt`);
    rmSync(list, { force: true });
    runOnce(args, ['--import', join(ROOT, 'bench', 'startup-modules.mjs')], {
      ...process.env,
      CUTOVER_MODULE_LIST: list,
    });
    const files = [...new Set(readFileSync(list, 'utf8').split('\n').filter(Boolean))];
    rmSync(list, { force: true });
    const perPackage = new Map();
    for (const f of files) {
      const m = f.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
      const key = m ? m[1] : f.includes('/dist/') ? 'cutover (dist/)' : 'other';
      perPackage.set(key, (perPackage.get(key) ?? 0) + 1);
    }
    const heavy = HEAVY.filter((p) => perPackage.has(p));
    console.log(`cutover ${args.join(' ')}: ${files.length} files`);
    for (const [p, n] of [...perPackage].sort((a, b) => b[1] - a[1]))
      console.log(`  ${String(n).padStart(5)}  ${p}`);
    console.log(`  heavy dependencies loaded: ${heavy.length ? heavy.join(', ') : 'none'}`);
  }
}

/** Each dependency imported on its own in a bare Node: what it costs any command that imports it. */
function packages() {
  const cost = (code) => {
    const samples = Array.from({ length: Math.min(RUNS, 7) }, () => {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // oidc-provider warns about Node 20 on stderr; only stdout carries the figures.
      return JSON.parse(r.stdout.toString());
    });
    return { wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu)) };
  };
  const probe = (spec) =>
    `const t=performance.now(),c=process.cpuUsage();${spec ? `await import(${JSON.stringify(spec)});` : ''}const u=process.cpuUsage(c);console.log(JSON.stringify({wall:performance.now()-t,cpu:(u.user+u.system)/1000}))`;
  console.log('| package | import wall (median) | import CPU (median) |');
  console.log('|---|---:|---:|');
  for (const p of HEAVY) {
    const c = cost(probe(p));
    console.log(`| ${p} | ${ms(c.wall)} | ${ms(c.cpu)} |`);
  }
  // What a real `cutover perf` imports beyond its dry run: the performance suite in the CLI process,
  // and, in every load thread, the scenario loader.
  for (const file of PERF_MODULES) {
    const c = cost(probe(pathToFileURL(join(ROOT, file)).href));
    console.log(`| ${file} | ${ms(c.wall)} | ${ms(c.cpu)} |`);
  }
}

if (argv.includes('--modules')) modules();
else if (argv.includes('--packages')) packages();
else timings();
