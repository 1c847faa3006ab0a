#!/usr/bin/env node
// The load engine's benchmark (not part of `npm test`): `npm run bench` (add `-- --quick` to skip the
// 2-million-request memory run). One loopback nginx from Debian is the target for all generators; the
// figures go to BENCHMARKS.md together with the machine they came from.
//   1. efficiency: requests per CPU-second of the load generator — cutover's embedded engine, wrk, autocannon
//   2. accuracy: p50/p99 against a server with a known delay (the server also measures what it held)
//   3. coordinated omission: a 1 s stall during a 10 s constant-arrival-rate run at 200 requests/s
//   4. memory: peak RSS after warm-up over 2 million requests
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeHistogram } from '../dist/src/core/histogram.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const QUICK = process.argv.includes('--quick');
const SECONDS = 10;
const CONNECTIONS = 50;
const work = mkdtempSync(join(tmpdir(), 'cutover-bench-'));
const log = (s) => process.stderr.write(`${s}\n`);

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

// The known-delay server holds each request DELAY_MS by its own clock (a timer, then a short spin for the
// last millisecond so timer lateness is not blamed on the load generator), and records what it held.
const DELAY_MS = 20;
let stallUntil = 0;
const held = [];
const delayServer = createServer((_req, res) => {
  const start = performance.now();
  const answer = () => {
    held.push(performance.now() - start);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  };
  const finish = () => {
    const wait = Math.max(stallUntil - Date.now(), 0);
    if (wait > 0) return setTimeout(answer, wait);
    const spin = () => (performance.now() - start >= DELAY_MS ? answer() : setImmediate(spin));
    spin();
  };
  setTimeout(finish, DELAY_MS - 1.5);
});
await new Promise((r) => delayServer.listen(0, '127.0.0.1', r));
const DELAY_PORT = delayServer.address().port;

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

/** Runs a command under GNU time: returns stdout and the CPU seconds (user + system) it used. */
function timed(cmd, args, env = {}) {
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
function histogramOf(run, scenarioName) {
  const m = run.evidence.find(
    (e) => e.name === 'http_req_duration' && e.tags.scenario === scenarioName && e.environment === 'baseline',
  );
  return decodeHistogram(m.histogram);
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
log(`efficiency: ${SECONDS} s each against nginx on 127.0.0.1:${NGINX_PORT}, ${CONNECTIONS} connections`);
scenario('throughput', 'nginx', {
  executor: 'constant-vus',
  vus: CONNECTIONS,
  duration: `${SECONDS}s`,
  gracefulStop: '5s',
});
{
  const r = await cutover('throughput');
  const run = lastRun();
  const count = run.evidence.find((e) => e.name === 'http_reqs' && e.environment === 'baseline').count;
  results.efficiency.push({
    tool: 'cutover (embedded engine, constant-vus)',
    requests: count,
    cpuSeconds: r.cpu,
    perCpuSecond: count / r.cpu,
  });
}
{
  const r = await timed('wrk', [
    '-t2',
    `-c${CONNECTIONS}`,
    `-d${SECONDS}s`,
    `http://127.0.0.1:${NGINX_PORT}/`,
  ]);
  const count = Number(/(\d+) requests in/.exec(r.out)?.[1]);
  results.efficiency.push({
    tool: 'wrk 4.1 (-t2)',
    requests: count,
    cpuSeconds: r.cpu,
    perCpuSecond: count / r.cpu,
  });
}
{
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
  const json = JSON.parse(r.out);
  const count = json.requests.total;
  results.efficiency.push({
    tool: `autocannon ${JSON.parse(readFileSync(join(ROOT, 'node_modules/autocannon/package.json'), 'utf8')).version}`,
    requests: count,
    cpuSeconds: r.cpu,
    perCpuSecond: count / r.cpu,
  });
}
for (const e of results.efficiency)
  log(
    `  ${e.tool}: ${e.requests} requests, ${e.cpuSeconds.toFixed(2)} CPU-s, ${Math.round(e.perCpuSecond)} req/CPU-s`,
  );

// --- 2. accuracy -----------------------------------------------------------------------------------------
log(
  `accuracy: constant-arrival-rate 200/s for ${SECONDS} s against a server holding each request ${DELAY_MS} ms`,
);
scenario('accuracy', 'delay', {
  executor: 'constant-arrival-rate',
  rate: 200,
  duration: `${SECONDS}s`,
  preAllocatedVUs: 20,
  maxVUs: 100,
});
{
  held.length = 0;
  await cutover('accuracy');
  const h = histogramOf(lastRun(), 'accuracy');
  const sorted = [...held].sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  results.accuracy = {
    delayMs: DELAY_MS,
    serverHeldP50: q(0.5),
    serverHeldP99: q(0.99),
    measuredP50: h.getValueAtPercentile(50) / 1000,
    measuredP99: h.getValueAtPercentile(99) / 1000,
    requests: h.totalCount,
  };
  const a = results.accuracy;
  log(
    `  p50 ${a.measuredP50.toFixed(2)} ms (server held ${a.serverHeldP50.toFixed(2)}), p99 ${a.measuredP99.toFixed(2)} ms (server held ${a.serverHeldP99.toFixed(2)})`,
  );
}

// --- 3. coordinated omission -----------------------------------------------------------------------------
log('coordinated omission: 200/s for 10 s, the server stalls for 1 s after 4 s');
scenario('stall', 'delay', {
  executor: 'constant-arrival-rate',
  rate: 200,
  duration: '10s',
  preAllocatedVUs: 50,
  maxVUs: 400,
});
{
  const timer = setTimeout(() => (stallUntil = Date.now() + 1000), 4000 + 700 /* CLI start-up */);
  await cutover('stall');
  clearTimeout(timer);
  stallUntil = 0;
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

// --- 4. memory -------------------------------------------------------------------------------------------
if (!QUICK) {
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
delayServer.close();
rmSync(work, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
