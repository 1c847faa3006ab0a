#!/usr/bin/env node
// The load engine's benchmark (not part of `npm test`): `npm run bench` (add `-- --quick` to skip the
// 2-million-request memory run, `-- --only accuracy` for one part). One loopback nginx from Debian is the target for all generators; the
// figures go to BENCHMARKS.md together with the machine they came from.
//   1. efficiency: requests per CPU-second of the load generator — cutover's embedded engine, wrk, autocannon
//      (five rounds in turn, the median round each, and the median of the round-by-round ratios)
//   2. accuracy: p50/p99 against a server with a known delay (bench/delay-server.mjs, its own process,
//      measures what it held): three rounds of cutover and wrk in turn, the median round each
//   3. coordinated omission: a 1 s stall during a 10 s constant-arrival-rate run at 200 requests/s
//   4. memory: peak RSS after warm-up over 2 million requests
import { execFileSync, fork, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeHistogram } from '../dist/src/core/histogram.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const QUICK = process.argv.includes('--quick');
// `--only accuracy` (or efficiency, stall, memory; repeatable) runs just those parts.
const ONLY = process.argv.flatMap((a, i) => (process.argv[i - 1] === '--only' ? [a] : []));
const want = (part) => ONLY.length === 0 || ONLY.includes(part);
const SECONDS = 10;
const CONNECTIONS = 50;
const work = mkdtempSync(join(tmpdir(), 'cutover-bench-'));
const log = (s) => process.stderr.write(`${s}\n`);
/** The middle item by `key` (the upper middle of an even count). */
const medianBy = (items, key = (x) => x) =>
  [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)];

function need(cmd) {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
  } catch {
    log(
      `bench: ${cmd} is not installed; run scripts/setup.sh (Debian packages from scripts/system-packages.txt)`,
    );
    process.exit(2);
  }
}
need('nginx');
need('wrk');
need('/usr/bin/time');

// --- targets -------------------------------------------------------------------------------------------
const NGINX_PORT = 18480;
writeFileSync(
  join(work, 'nginx.conf'),
  `worker_processes 1;
daemon off;
pid ${work}/nginx.pid;
error_log ${work}/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${work}/body; proxy_temp_path ${work}/proxy; fastcgi_temp_path ${work}/fcgi;
  uwsgi_temp_path ${work}/uwsgi; scgi_temp_path ${work}/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:${NGINX_PORT};
    location / { default_type application/json; return 200 '{"status":"healthy"}'; }
  }
}
`,
);
const nginx = spawn('nginx', ['-c', join(work, 'nginx.conf'), '-p', work], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 500));

// The known-delay server (bench/delay-server.mjs) runs in its own process and records what it held.
const DELAY_MS = 20;
const delayServer = fork(join(ROOT, 'bench/delay-server.mjs'), [String(DELAY_MS)], { stdio: 'ignore' });
const DELAY_PORT = await new Promise((r) => delayServer.once('message', (m) => r(m.port)));
const heldTimes = () =>
  new Promise((r) => {
    delayServer.once('message', (m) => r(m.held));
    delayServer.send({ held: true });
  });

// --- cutover project ---------------------------------------------------------------------------------------
writeFileSync(
  join(work, 'cutover.config.mjs'),
  `export default ${JSON.stringify({
    project: 'bench',
    environments: {
      baseline: {
        kind: 'compose',
        composeFile: 'none.yml',
        services: {
          nginx: { url: `http://127.0.0.1:${NGINX_PORT}` },
          delay: { url: `http://127.0.0.1:${DELAY_PORT}` },
        },
      },
      target: {
        kind: 'kubernetes',
        context: 'bench',
        namespaces: ['bench'],
        services: {
          nginx: { url: `http://127.0.0.1:${NGINX_PORT}` },
          delay: { url: `http://127.0.0.1:${DELAY_PORT}` },
        },
      },
    },
    services: {
      nginx: { tier: 'application', phase: 3, health: { path: '/' } },
      delay: { tier: 'application', phase: 3, health: { path: '/' } },
    },
    performance: {
      limits: { maxRate: 200000, maxRequests: 10_000_000, maxVUs: 2000, maxDuration: '30m' },
      warmup: '0',
    },
  })};\n`,
);
const scenario = (name, service, executor, path = '/') =>
  writeFileSync(
    join(work, `${name}.mjs`),
    `export default ${JSON.stringify({ name, description: name, service, executor, requests: [{ weight: 1, method: 'GET', path }] })};\n`,
  );

/** The machine's CPU time so far in ticks (/proc/stat): all of it, and what the hypervisor stole. */
function cpuTicks() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { steal: f[7] ?? 0, total: f.slice(0, 8).reduce((a, b) => a + b, 0) };
}
/**
 * The share of the machine's CPU time the hypervisor gave to other guests since `from`: on a shared
 * virtual machine, rounds with a high steal share ran on a slower machine.
 */
const stealSince = (from) => {
  const now = cpuTicks();
  return now.total > from.total ? (now.steal - from.steal) / (now.total - from.total) : 0;
};

/**
 * Runs a command under GNU time: its stdout, the CPU seconds (user + system) and peak RSS it used, and
 * the steal share while it ran.
 */
function timed(cmd, args, env = {}) {
  const ticks = cpuTicks();
  return new Promise((done) => {
    const child = spawn('/usr/bin/time', ['-f', 'CPU %U %S %M', cmd, ...args], {
      cwd: work,
      env: { ...process.env, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', () => {
      const m = /CPU ([\d.]+) ([\d.]+) (\d+)/.exec(err);
      done({
        out,
        err,
        cpu: m ? Number(m[1]) + Number(m[2]) : Number.NaN,
        maxRssKb: m ? Number(m[3]) : Number.NaN,
        steal: stealSince(ticks),
        pid: child.pid,
      });
    });
  });
}

function lastRun() {
  const dir = join(work, 'reports');
  const run = readdirSync(dir).sort().at(-1);
  return JSON.parse(readFileSync(join(dir, run, 'run.json'), 'utf8'));
}
function histogramOf(run, scenarioName, metric = 'http_req_duration') {
  const parts = run.evidence.filter(
    (e) => e.name === metric && e.tags.scenario === scenarioName && e.environment === 'baseline',
  );
  // http_req_duration comes split by status class; merged, the parts are the endpoint's distribution.
  const h = decodeHistogram(parts[0].histogram);
  for (const p of parts.slice(1)) h.add(decodeHistogram(p.histogram));
  return h;
}
const cutover = (name, extra = []) =>
  timed(process.execPath, [
    join(ROOT, 'bin/cutover.js'),
    'perf',
    '--scenario-file',
    `${name}.mjs`,
    '--env',
    'baseline',
    '--mode',
    'sequential',
    '--json',
    ...extra,
  ]);

const results = { machine: {}, efficiency: [], accuracy: {}, coordinatedOmission: {}, memory: undefined };
results.machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  nginx: execFileSync('nginx', ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) || '',
  loadAverageBefore: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
};
try {
  results.machine.nginx = execFileSync('sh', ['-c', 'nginx -v 2>&1'], { encoding: 'utf8' }).trim();
  results.machine.wrk = execFileSync('sh', ['-c', 'wrk -v 2>&1 | head -1'], { encoding: 'utf8' }).trim();
} catch {}

// --- 1. efficiency ---------------------------------------------------------------------------------------
if (want('efficiency')) {
  // Five rounds of the three generators in turn, so a passing disturbance hits all of them alike; each
  // generator's figure is its median round.
  // Five, not three: on this shared VM a generator's figure moves by ±25 % between rounds minutes apart.
  const ROUNDS = QUICK ? 1 : 5;
  log(
    `efficiency: ${SECONDS} s each against nginx on 127.0.0.1:${NGINX_PORT}, ${CONNECTIONS} connections, ${ROUNDS} round(s)`,
  );
  scenario('throughput', 'nginx', {
    executor: 'constant-vus',
    vus: CONNECTIONS,
    duration: `${SECONDS}s`,
    gracefulStop: '5s',
  });
  const autocannonVersion = JSON.parse(
    readFileSync(join(ROOT, 'node_modules/autocannon/package.json'), 'utf8'),
  ).version;
  const generators = [
    {
      tool: 'cutover (embedded engine, constant-vus)',
      run: async () => {
        const r = await cutover('throughput');
        const count = lastRun().evidence.find(
          (e) => e.name === 'http_reqs' && e.environment === 'baseline',
        ).count;
        return { requests: count, cpuSeconds: r.cpu, steal: r.steal };
      },
    },
    {
      tool: 'wrk 4.1 (-t2)',
      run: async () => {
        const r = await timed('wrk', [
          '-t2',
          `-c${CONNECTIONS}`,
          `-d${SECONDS}s`,
          `http://127.0.0.1:${NGINX_PORT}/`,
        ]);
        return {
          requests: Number(/(\d+) requests in/.exec(r.out)?.[1]),
          cpuSeconds: r.cpu,
          steal: r.steal,
        };
      },
    },
    {
      tool: `autocannon ${autocannonVersion}`,
      run: async () => {
        const bin = join(ROOT, 'node_modules/autocannon/autocannon.js');
        const r = await timed(process.execPath, [
          bin,
          '-c',
          String(CONNECTIONS),
          '-d',
          String(SECONDS),
          '--json',
          `http://127.0.0.1:${NGINX_PORT}/`,
        ]);
        return { requests: JSON.parse(r.out).requests.total, cpuSeconds: r.cpu, steal: r.steal };
      },
    },
  ];
  const rounds = generators.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, g] of generators.entries()) {
      const r = await g.run();
      const perCpuSecond = r.requests / r.cpuSeconds;
      rounds[i].push({ ...r, perCpuSecond });
      log(
        `  round ${round + 1} ${g.tool}: ${r.requests} requests, ${r.cpuSeconds.toFixed(2)} CPU-s, ${Math.round(perCpuSecond)} req/CPU-s (steal ${(r.steal * 100).toFixed(1)} %)`,
      );
    }
  }
  for (const [i, g] of generators.entries()) {
    const median = medianBy(rounds[i], (r) => r.perCpuSecond);
    results.efficiency.push({ tool: g.tool, ...median, rounds: rounds[i] });
  }
  for (const e of results.efficiency)
    log(
      `  median ${e.tool}: ${e.requests} requests, ${e.cpuSeconds.toFixed(2)} CPU-s, ${Math.round(e.perCpuSecond)} req/CPU-s`,
    );
  // Round by round, cutover against the others run right after it: a slow spell of the machine that
  // lasts a round affects the pair more alike than the medians taken apart.
  results.efficiencyPaired = rounds[0].map((c, i) => ({
    wrk: c.perCpuSecond / rounds[1][i].perCpuSecond,
    autocannon: c.perCpuSecond / rounds[2][i].perCpuSecond,
  }));
  results.efficiencyPairedMedian = {
    wrk: medianBy(results.efficiencyPaired.map((p) => p.wrk)),
    autocannon: medianBy(results.efficiencyPaired.map((p) => p.autocannon)),
  };
  log(
    `  round by round, cutover ÷ wrk: ${results.efficiencyPaired.map((p) => p.wrk.toFixed(2)).join(', ')}; cutover ÷ autocannon: ${results.efficiencyPaired.map((p) => p.autocannon.toFixed(2)).join(', ')} (medians ${results.efficiencyPairedMedian.wrk.toFixed(2)} and ${results.efficiencyPairedMedian.autocannon.toFixed(2)})`,
  );
}

// --- 2. accuracy -----------------------------------------------------------------------------------------
if (want('accuracy')) {
  // Rounds of two runs in turn — cutover, and wrk (closed model) for reference — so a passing disturbance of
  // the machine hits both alike. Each cutover run has a 2 s unrecorded warm-up (as a real comparison
  // has: the first requests of a process run cold code and open connections), and the server's hold times
  // are cut to the measured window by their arrival time. Each is judged on its median round.
  const WARMUP_S = 2;
  const ACCURACY_ROUNDS = 3;
  log(
    `accuracy: constant-arrival-rate 200/s for ${SECONDS} s (after a ${WARMUP_S} s warm-up) against a server holding each request ${DELAY_MS} ms; ${ACCURACY_ROUNDS} rounds of cutover and wrk`,
  );
  scenario('accuracy', 'delay', {
    executor: 'constant-arrival-rate',
    rate: 200,
    duration: `${SECONDS}s`,
    preAllocatedVUs: 20,
    maxVUs: 100,
  });
  /** A quantile of the server's hold times since the last ask, leaving out the first `skipMs` (the warm-up). */
  async function heldSince(skipMs) {
    const all = await heldTimes();
    const firstAt = Math.min(...all.map(([at]) => at));
    const sorted = all
      .filter(([at]) => at >= firstAt + skipMs)
      .map(([, ms]) => ms)
      .sort((a, b) => a - b);
    return (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  }
  // The same engine in the closed model wrk uses (4 VUs, each sending as its answer arrives, ≈ 200 req/s):
  // what the engine's own HTTP path adds, apart from the open model's waking up for each schedule.
  scenario('accuracy-closed', 'delay', { executor: 'constant-vus', vus: 4, duration: `${SECONDS}s` });
  async function cutoverAccuracy(name = 'accuracy') {
    await heldTimes(); // forget earlier requests
    const timing = await cutover(name, ['--warmup', `${WARMUP_S}s`]);
    const run = lastRun();
    const h = histogramOf(run, name);
    const lag = name === 'accuracy' ? histogramOf(run, name, 'cutover_send_lag') : undefined;
    const q = await heldSince(WARMUP_S * 1000 + 50);
    return {
      serverHeldP50: q(0.5),
      serverHeldP99: q(0.99),
      measuredP50: h.getValueAtPercentile(50) / 1000,
      measuredP99: h.getValueAtPercentile(99) / 1000,
      requests: h.totalCount,
      // The generator's own lateness (latency counts from the schedule, so it is part of the figures above).
      ...(lag
        ? { sendLagP50: lag.getValueAtPercentile(50) / 1000, sendLagP99: lag.getValueAtPercentile(99) / 1000 }
        : {}),
      steal: timing.steal,
    };
  }
  // The same server measured by wrk (C, epoll; closed model, 4 connections ≈ 200 req/s against 20 ms), as a
  // reference for how close a client on this machine gets to what the server says it held at that moment.
  async function wrkAccuracy() {
    await heldTimes();
    const r = await timed('wrk', [
      '-t1',
      '-c4',
      `-d${SECONDS}s`,
      '--latency',
      `http://127.0.0.1:${DELAY_PORT}/`,
    ]);
    const q = await heldSince(0);
    const toMs = (text) => {
      const m = /([\d.]+)(us|ms|s)\b/.exec(text ?? '');
      return m ? Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1) : Number.NaN;
    };
    return {
      measuredP50: toMs(/^\s*50%\s+(\S+)/m.exec(r.out)?.[1]),
      measuredP99: toMs(/^\s*99%\s+(\S+)/m.exec(r.out)?.[1]),
      serverHeldP50: q(0.5),
      serverHeldP99: q(0.99),
      requests: Number(/(\d+) requests in/.exec(r.out)?.[1]),
      steal: r.steal,
    };
  }
  const accuracyRuns = [
    { key: 'cutover', label: 'cutover', run: () => cutoverAccuracy() },
    { key: 'cutoverClosed', label: 'cutover constant-vus 4', run: () => cutoverAccuracy('accuracy-closed') },
    { key: 'wrk', label: 'wrk -t1 -c4 --latency', run: wrkAccuracy },
  ];
  results.accuracy = { delayMs: DELAY_MS, warmupS: WARMUP_S };
  for (const a of accuracyRuns) results.accuracy[a.key] = { runs: [] };
  const fmt = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
  for (let round = 0; round < ACCURACY_ROUNDS; round++) {
    for (const a of accuracyRuns) {
      const r = await a.run();
      results.accuracy[a.key].runs.push(r);
      log(
        `  round ${round + 1} ${a.label}: p50 ${r.measuredP50.toFixed(2)} ms (server held ${r.serverHeldP50.toFixed(2)}, ${fmt(r.measuredP50 - r.serverHeldP50)}), p99 ${r.measuredP99.toFixed(2)} ms (held ${r.serverHeldP99.toFixed(2)}, ${fmt(r.measuredP99 - r.serverHeldP99)})${r.sendLagP99 === undefined ? '' : `; send lag p50 ${r.sendLagP50.toFixed(2)} ms, p99 ${r.sendLagP99.toFixed(2)} ms`} (steal ${(r.steal * 100).toFixed(1)} %)`,
      );
    }
  }
  for (const a of accuracyRuns) {
    const excess = (r) => r.measuredP99 - r.serverHeldP99;
    const runs = results.accuracy[a.key].runs;
    const median = medianBy(runs, excess);
    results.accuracy[a.key].median = median;
    log(
      `  median round ${a.label} (by p99 excess): p50 ${fmt(median.measuredP50 - median.serverHeldP50)} ms, p99 ${fmt(excess(median))} ms`,
    );
  }
}

// --- 3. coordinated omission -----------------------------------------------------------------------------
if (want('stall')) {
  log('coordinated omission: 200/s for 10 s, the server stalls for 1 s after 4 s');
  scenario('stall', 'delay', {
    executor: 'constant-arrival-rate',
    rate: 200,
    duration: '10s',
    preAllocatedVUs: 50,
    maxVUs: 400,
  });
  {
    const timer = setTimeout(() => delayServer.send({ stall: 1000 }), 4000 + 700 /* CLI start-up */);
    await cutover('stall');
    clearTimeout(timer);
    const h = histogramOf(lastRun(), 'stall');
    // With latency measured from each request's scheduled start, the ~200 requests due during the stall
    // wait on average 0.5 s: about 10 % of 2000 requests over 0.5 s, and p99 near the stall's length.
    results.coordinatedOmission = {
      requests: h.totalCount,
      p50: h.getValueAtPercentile(50) / 1000,
      p90: h.getValueAtPercentile(90) / 1000,
      p99: h.getValueAtPercentile(99) / 1000,
      max: h.maxValue / 1000,
    };
    const c = results.coordinatedOmission;
    log(
      `  p50 ${c.p50.toFixed(1)} ms, p90 ${c.p90.toFixed(1)} ms, p99 ${c.p99.toFixed(1)} ms, max ${c.max.toFixed(1)} ms`,
    );
  }
}

// --- 4. memory -------------------------------------------------------------------------------------------
if (!QUICK && want('memory')) {
  log('memory: 2 000 000 requests against nginx (constant-vus), RSS sampled every 250 ms');
  scenario('memory', 'nginx', {
    executor: 'constant-vus',
    vus: CONNECTIONS,
    duration: '20m',
    gracefulStop: '5s',
  });
  writeFileSync(
    join(work, 'cutover.config.mjs'),
    readFileSync(join(work, 'cutover.config.mjs'), 'utf8').replace(
      '"maxRequests":10000000',
      '"maxRequests":2000000',
    ),
  );
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'bin/cutover.js'),
      'perf',
      '--scenario-file',
      'memory.mjs',
      '--env',
      'baseline',
      '--mode',
      'sequential',
      '--threads',
      '1',
      '--json',
    ],
    { cwd: work, stdio: 'ignore' },
  );
  const samples = [];
  const started = Date.now();
  const sampler = setInterval(() => {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
      samples.push({ t: (Date.now() - started) / 1000, mb: kb / 1024 });
    } catch {}
  }, 250);
  await new Promise((r) => child.on('close', r));
  clearInterval(sampler);
  const run = lastRun();
  const count = run.evidence.find((e) => e.name === 'http_reqs' && e.environment === 'baseline')?.count ?? 0;
  const warm = samples.find((s) => s.t >= 10) ?? samples[0];
  const after = samples.filter((s) => s.t >= warm.t);
  results.memory = {
    requests: count,
    seconds: (Date.now() - started) / 1000,
    rssAfterWarmupMb: warm.mb,
    peakRssMb: Math.max(...after.map((s) => s.mb)),
    stoppedBy: run.evidence.find((e) => e.kind === 'coverage' && e.suite === 'performance')?.reason,
  };
  const m = results.memory;
  log(
    `  ${m.requests} requests in ${m.seconds.toFixed(0)} s; RSS after warm-up ${m.rssAfterWarmupMb.toFixed(1)} MB, peak ${m.peakRssMb.toFixed(1)} MB`,
  );
}

results.machine.loadAverageAfter = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
nginx.kill('SIGTERM');
delayServer.disconnect();
rmSync(work, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
