// Benchmark: what one k6-operator runner writes, what Cutover reads back and how long the merge takes,
// per request count — with the k6 stand-in (test/fixtures/k6-standin/k6) running the built-in RentGuy
// bundle as the operator's runners run it (`--out json=-`, the runner summary), against a loopback
// server that answers at once. `npx jiti bench/k6-operator-scale.ts [--sizes 1000,4000,16000] [--runners 1,10,100]`.
//
// Written: every byte of the runner's output (its pod log before rotation). Served: what the log API
// returns after the kubelet's 10 MiB rotation (sim/kube/pod-logs.ts) — read for the per-second series
// and error messages. Summary: the runner-summary line the results come from. Merge: reading P runners'
// served logs and summaries (runnerResult) and merging them (mergeSlices), the runners' outputs being
// copies of the measured one.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { currentLogFile } from '../sim/kube/pod-logs.js';
import { toProfile } from '../src/core/load/profile.js';
import { bundleK6Script } from '../src/runners/k6/build.js';
import { runnerResult } from '../src/runners/k6/operator.js';
import { sliceFromRunnerSummary } from '../src/runners/k6/parse.js';
import { findRunnerSummary, RUNNER_SUMMARY_MARK } from '../src/runners/k6/runner-summary.js';
import { mergeSlices } from '../src/runners/load/recorder.js';
import { builtInModules } from '../src/suites/performance/plan.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return (i > 0 ? process.argv[i + 1]! : fallback).split(',').map(Number);
};
const SIZES = arg('--sizes', '1000,4000,16000');
const RUNNERS = arg('--runners', '1,10,100');
const STAND_IN = new URL('../test/fixtures/k6-standin/k6', import.meta.url).pathname;

const server = createServer((req, res) => {
  res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
  res.end('{"id":"bk-1","items":[{"id":"eq-1001"}]}');
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const rentguy = (await builtInModules()).find((m) => m.scenario.name === 'rentguy')!;
const dir = mkdtempSync(join(tmpdir(), 'cutover-k6-scale-'));
const script = join(dir, 'rentguy.js');
writeFileSync(script, (await bundleK6Script(rentguy, { runnerSummary: true })).text);

function runner(requests: number): Promise<string> {
  const profile = toProfile({
    executor: 'constant-arrival-rate',
    rate: requests,
    timeUnit: '1s',
    duration: '1s',
    preAllocatedVUs: 10,
    maxVUs: 10,
  });
  return new Promise((done, fail) => {
    const child = spawn(STAND_IN, ['run', '--quiet', '--out', 'json=-', '--tag', 'instance_id=1', script], {
      env: {
        PATH: process.env.PATH ?? '',
        CUTOVER_BASE_URL: base,
        CUTOVER_PROFILE: JSON.stringify(profile),
        CUTOVER_SETUP_DATA: JSON.stringify({ runId: 'bench', bookingId: 'bk-1' }),
        K6_STANDIN_MAX_ITERATIONS: String(requests),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d: Buffer) => chunks.push(d));
    child.on('error', fail);
    child.on('close', () => done(Buffer.concat(chunks).toString('utf8')));
  });
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MiB`;
console.log(
  '| requests per runner | written per runner | bytes per request | served (read back) | summary line | merge P=… |',
);
console.log('|---:|---:|---:|---:|---:|---|');
for (const n of SIZES) {
  const log = await runner(n);
  const written = Buffer.byteLength(log);
  const served = currentLogFile(log);
  const at = log.lastIndexOf(RUNNER_SUMMARY_MARK);
  const summaryBytes = at < 0 ? 0 : Buffer.byteLength(log.slice(at));
  const merges: string[] = [];
  const summaries: string[] = [];
  for (const p of RUNNERS) {
    const started = performance.now();
    const parts = Array.from({ length: p }, (_, i) =>
      runnerResult(`runner-${i + 1}`, served, 'rentguy', 'target', 0, () => {}),
    );
    const merged = mergeSlices(parts);
    const ms = performance.now() - started;
    const requests = Object.values(merged.durations)
      .flatMap((c) => Object.values(c))
      .reduce((a, c) => a + c.count, 0);
    if (requests !== n * p || merged.incomplete)
      throw new Error(`merge of ${p} runners lost requests: ${requests} of ${n * p}`);
    merges.push(`${p}: ${ms.toFixed(0)} ms`);
    // The results' own path: the summary lines alone (what the evidence is built from).
    const t0 = performance.now();
    mergeSlices(
      Array.from({ length: p }, () => sliceFromRunnerSummary(findRunnerSummary(served)!, 'target')),
    );
    summaries.push(`${p}: ${(performance.now() - t0).toFixed(0)} ms`);
  }
  console.log(
    `| ${n} | ${mib(written)} | ${(written / n).toFixed(0)} B | ${mib(Buffer.byteLength(served))} | ${(summaryBytes / 1024).toFixed(1)} KiB | ${merges.join(', ')} | ${summaries.join(', ')} |`,
  );
}
rmSync(dir, { recursive: true, force: true });
server.close();
