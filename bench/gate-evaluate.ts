// Benchmark: evaluating a phase gate from recorded evidence — decoding HdrHistograms (base64) and
// judging 20 endpoints' p95 ratios with intervals and Holm. `npx jiti bench/gate-evaluate.ts`.
import { performance } from 'node:perf_hooks';
import { rng } from '../scripts/gate-simulation/model.js';
import type { Evidence } from '../src/core/evidence.js';
import { evaluateGate } from '../src/core/gates/evaluate.js';
import { parseGate } from '../src/core/gates/parse.js';
import { createHistogram, encodeHistogram, recordMs } from '../src/core/histogram.js';

const ENDPOINTS = 20;
const SAMPLES = 5000;
const ROUNDS = 20;

function histogram(seed: number): string {
  const next = rng(seed);
  const h = createHistogram();
  for (let i = 0; i < SAMPLES; i++)
    recordMs(h, 20 * Math.exp(0.5 * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next())));
  return encodeHistogram(h);
}

const gate = parseGate({
  id: 'bench',
  phase: 3,
  title: 'bench',
  criteria: [{ id: 'p95', title: 'p95', serves: 2, expr: 'http_req_duration: p(95) <= baseline * 1.10' }],
});
const encoded = Array.from({ length: ENDPOINTS * 2 }, (_, i) => histogram(i + 1));
const bytes = encoded.reduce((s, e) => s + e.length, 0);
const times: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  // Fresh evidence objects each round, so nothing decoded is reused from the round before.
  const evidence: Evidence[] = encoded.map((histogram, i) => ({
    kind: 'metric',
    suite: 'performance',
    environment: i % 2 ? 'target' : 'baseline',
    name: 'http_req_duration',
    type: 'trend',
    tags: { scenario: 'bench', service: 'svc', endpoint: `GET /e${Math.floor(i / 2)}` },
    at: '2026-11-28T00:00:00.000Z',
    histogram,
  }));
  const t = performance.now();
  evaluateGate(gate, {
    now: new Date('2026-11-28T01:00:00.000Z'),
    checks: [],
    evidence,
    services: [],
    target: 'target',
    baseline: 'baseline',
    attestations: [],
    waivers: [],
  });
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
console.log(
  `gate of ${ENDPOINTS} endpoints × 2 sides × ${SAMPLES} samples (${(bytes / 1024).toFixed(1)} KiB of encoded histograms):`,
);
console.log(
  `  evaluate incl. decoding: median ${times[Math.floor(ROUNDS / 2)]!.toFixed(1)} ms, best ${times[0]!.toFixed(1)} ms, worst ${times[ROUNDS - 1]!.toFixed(1)} ms over ${ROUNDS} rounds`,
);
console.log(`  heap used: ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(1)} MiB`);
