#!/usr/bin/env node
// Where the accuracy benchmark's p99 excess comes from (not part of `npm test`):
//   npm run bench:accuracy [-- --runs N] [-- --closed]
// Runs the embedded engine's open model in this process (runSlice from dist/, as a load thread runs it)
// at 200 requests/s against bench/delay-server.mjs holding each request 20 ms — or with `--closed` the
// closed model wrk uses in the benchmark (4 VUs, each sending when its answer is read: no schedule, no
// lag) — and times every request
// at four points on the monotonic clock all processes share: sent (the request's header function, just
// before the write), arrived and written (the server's handler and its answer), ended (a check, just
// after the answer was read). The schedule is the executor's (one arrival per 5 ms from the slice's
// start, taken as the earliest send less its offset). Each request's excess over what the server held
// splits into:
//   lag   sent − scheduled       the engine's timer woke late
//   up    arrived − sent         the kernel, and the server waking to read the request
//   down  ended − written        the kernel, and the engine waking to read the answer
// and the script prints each part's p50/p99 and the p99 excess with each part left out. The server's
// clock is read just after its write returns, by which time a client on the other core may already have
// read the answer: `down` can come out a few microseconds below zero.
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSlice } from '../dist/src/runners/load/executor.js';
import { toProfile } from '../dist/src/runners/load/profile.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const runsAt = process.argv.indexOf('--runs');
const RUNS = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 3;
const RATE = 200;
const DELAY_MS = 20;
const CLOSED = process.argv.includes('--closed');
const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6;

const server = fork(join(ROOT, 'bench/delay-server.mjs'), [String(DELAY_MS)], { stdio: 'ignore' });
const port = await new Promise((r) => server.once('message', (m) => r(m.port)));
const ask = (what) =>
  new Promise((r) => {
    server.once('message', (m) => r(m[what === 'trace' ? 'traced' : 'held']));
    server.send({ [what]: true });
  });

async function run(seconds) {
  const sent = new Map();
  const ended = new Map();
  const executor = CLOSED
    ? { executor: 'constant-vus', vus: 4, duration: `${seconds}s` }
    : {
        executor: 'constant-arrival-rate',
        rate: RATE,
        duration: `${seconds}s`,
        preAllocatedVUs: 20,
        maxVUs: 100,
      };
  // The open model's iteration numbers are its schedule; closed-model VUs number theirs apart, so a
  // counter names each request there.
  let sequence = 0;
  const scenario = {
    name: 'breakdown',
    description: 'per-request timing',
    service: 'delay',
    executor,
    requests: [
      {
        weight: 1,
        method: 'GET',
        path: '/',
        headers: ({ iteration }) => {
          const id = String(CLOSED ? sequence++ : iteration);
          sent.set(id, monotonicMs());
          return { 'x-trace-id': id };
        },
        checks: {
          timed: (r) => {
            ended.set(r.headers['x-trace-id'], monotonicMs());
            return true;
          },
        },
      },
    ],
  };
  await runSlice(scenario, {
    scenario: 'breakdown',
    environment: 'baseline',
    baseUrl: `http://127.0.0.1:${port}`,
    pins: {},
    timeoutMs: 10_000,
    profile: toProfile(executor),
    slice: { index: 0, count: 1 },
    maxRequests: 1e9,
    env: {},
  });
  return { sent, ended, server: await ask('trace') };
}

const q = (values, p) => {
  const v = [...values].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.floor(p * v.length))];
};
const ms = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;

await run(2); // warm-up: connections, JIT
await ask('held');
for (let i = 0; i < RUNS; i++) {
  const { sent, ended, server: traced } = await run(10);
  await ask('held');
  const interval = 1000 / RATE;
  const t0 = Math.min(...[...sent].map(([id, at]) => at - Number(id) * interval));
  const rows = traced
    .filter(([id]) => sent.has(id) && ended.has(id))
    .map(([id, arrived, written]) => {
      const s = sent.get(id);
      const e = ended.get(id);
      const r = {
        lag: CLOSED ? 0 : Math.max(0, s - (t0 + Number(id) * interval)),
        up: arrived - s,
        held: written - arrived,
        down: e - written,
      };
      return { ...r, measured: r.lag + r.up + r.held + r.down };
    });
  const heldP99 = q(
    rows.map((r) => r.held),
    0.99,
  );
  const excess = (f) => q(rows.map(f), 0.99) - heldP99;
  console.log(
    `run ${i + 1}: ${rows.length} requests; p99 measured ${q(
      rows.map((r) => r.measured),
      0.99,
    ).toFixed(2)} ms, server held ${heldP99.toFixed(2)} ms: excess ${ms(excess((r) => r.measured))} ms`,
  );
  for (const part of ['lag', 'up', 'down']) {
    const v = rows.map((r) => r[part]);
    console.log(
      `  ${part.padEnd(4)} p50 ${q(v, 0.5).toFixed(3)} ms, p99 ${q(v, 0.99).toFixed(3)} ms, max ${Math.max(...v).toFixed(3)} ms; p99 excess without it ${ms(excess((r) => r.measured - r[part]))} ms`,
    );
  }
}
server.disconnect();
