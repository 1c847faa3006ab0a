// The seeded simulation behind the statistical claims in docs/gates.md: lognormal latencies and
// Bernoulli errors for 20 endpoints on two sides, judged by the real gate evaluator
// (src/core/gates/evaluate.ts) with the real criterion parser. The same module runs at full size from
// scripts/gate-simulation.ts and at a reduced size in test/unit/gate-simulation.test.ts.
//
// Speed: a full run draws up to 800 million latencies. Encoding each side into an HdrHistogram and
// decoding it again would dominate, so samples are quantised exactly as an HdrHistogram with 3
// significant digits buckets them (verified against hdr-histogram-js in the tests) and handed to the
// evaluator as decoded distributions (primeDistribution).
import type { MetricEvidence } from '../../src/core/evidence.js';
import { evaluateGate } from '../../src/core/gates/evaluate.js';
import type { GateInput } from '../../src/core/gates/input.js';
import { primeDistribution } from '../../src/core/gates/judge-metric.js';
import { parseGate } from '../../src/core/gates/parse.js';
import type { GateResult } from '../../src/core/model.js';
import type { Distribution } from '../../src/core/stats/distribution.js';
import { normalCdf } from '../../src/core/stats/normal.js';

/** xoshiro128** — fast, seedable, good enough for statistics (Blackman & Vigna). */
export function rng(seed: number): () => number {
  let a = seed >>> 0 || 1;
  let b = (seed * 2654435761) >>> 0 || 2;
  let c = (seed ^ 0x9e3779b9) >>> 0 || 3;
  let d = (seed * 40503 + 12345) >>> 0 || 4;
  const next = () => {
    const t = b << 9;
    let r = Math.imul(b, 5);
    r = Math.imul((r << 7) | (r >>> 25), 9);
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = (d << 11) | (d >>> 21);
    return (r >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  return next;
}

const SUB = 2048;
const HALF = 1024;
const MAX_SHIFT = 20;
const SIZE = SUB + MAX_SHIFT * HALF;

/** HdrHistogram's bucket index of an integer value (lowest 1, 3 significant digits). */
function indexOf(v: number): number {
  if (v < SUB) return v;
  const shift = Math.min(MAX_SHIFT, 31 - Math.clz32(v) - 10);
  return SUB + (shift - 1) * HALF + ((v >>> shift) - HALF);
}

/** The value HdrHistogram reports for a bucket index (its median-equivalent value), in µs. */
function bucketValue(idx: number): number {
  if (idx < SUB) return idx;
  const shift = Math.floor((idx - SUB) / HALF) + 1;
  const lowest = (((idx - SUB) % HALF) + HALF) * 2 ** shift;
  return lowest + 2 ** (shift - 1);
}

const counts = new Float64Array(SIZE);

/** n lognormal latencies (median ms, sigma on the log scale), bucketed as an HdrHistogram would. */
export function lognormalDistribution(
  n: number,
  medianMs: number,
  sigma: number,
  next: () => number,
): Distribution {
  const mu = Math.log(medianMs * 1000);
  let lo = SIZE;
  let hi = 0;
  const count = (z: number) => {
    const v = Math.max(1, Math.round(Math.exp(mu + sigma * z)));
    const idx = indexOf(v);
    counts[idx]! += 1;
    if (idx < lo) lo = idx;
    if (idx > hi) hi = idx;
  };
  for (let i = 0; i < n; i += 2) {
    // Box–Muller: two normals per two uniforms.
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const th = 2 * Math.PI * next();
    count(r * Math.cos(th));
    if (i + 1 < n) count(r * Math.sin(th));
  }
  return collect(lo, hi);
}

/** Turns the shared count array into a distribution and clears it for the next one. */
function collect(lo: number, hi: number): Distribution {
  let k = 0;
  for (let i = lo; i <= hi; i++) if (counts[i]! > 0) k++;
  const values = new Float64Array(k);
  const cum = new Float64Array(k);
  let j = 0;
  let total = 0;
  for (let i = lo; i <= hi; i++) {
    const c = counts[i]!;
    if (c === 0) continue;
    total += c;
    values[j] = bucketValue(i) / 1000;
    cum[j] = total;
    j++;
    counts[i] = 0;
  }
  return { values, cum, n: total };
}

/** Lowest integer value of a bucket and how many integers it spans. */
function bucketRange(idx: number): [number, number] {
  if (idx < SUB) return [idx, 1];
  const shift = Math.floor((idx - SUB) / HALF) + 1;
  return [(((idx - SUB) % HALF) + HALF) * 2 ** shift, 2 ** shift];
}

/**
 * Draws bucketed lognormal latencies in O(1) per sample (Vose's alias method over the HdrHistogram
 * buckets), exactly as likely as drawing a latency, rounding it to a microsecond and bucketing it —
 * but with one table lookup instead of a logarithm, a cosine and an exponential. The distribution is
 * cut at ±8 sigma (a mass below 1e-15).
 */
export class BucketedLognormal {
  private readonly first: number;
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(medianMs: number, sigma: number) {
    const mu = Math.log(medianMs * 1000);
    this.first = indexOf(Math.max(1, Math.floor(Math.exp(mu - 8 * sigma))));
    const last = indexOf(Math.ceil(Math.exp(mu + 8 * sigma)));
    const k = last - this.first + 1;
    const p = new Float64Array(k);
    let total = 0;
    for (let j = 0; j < k; j++) {
      const [lo, size] = bucketRange(this.first + j);
      const a = lo <= 1 ? 0 : normalCdf((Math.log(lo - 0.5) - mu) / sigma);
      const b = normalCdf((Math.log(lo + size - 0.5) - mu) / sigma);
      p[j] = Math.max(0, b - a);
      total += p[j]!;
    }
    // Vose's alias method.
    this.prob = new Float64Array(k);
    this.alias = new Int32Array(k);
    const scaled = p.map((x) => (x / total) * k);
    const small: number[] = [];
    const large: number[] = [];
    for (const [j, x] of scaled.entries()) (x < 1 ? small : large).push(j);
    while (small.length && large.length) {
      const l = small.pop()!;
      const g = large.pop()!;
      this.prob[l] = scaled[l]!;
      this.alias[l] = g;
      scaled[g] = scaled[g]! + scaled[l]! - 1;
      (scaled[g]! < 1 ? small : large).push(g);
    }
    for (const j of [...small, ...large]) this.prob[j] = 1;
  }

  sample(n: number, next: () => number): Distribution {
    const k = this.prob.length;
    let lo = SIZE;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const j = Math.floor(next() * k);
      const idx = this.first + (next() < this.prob[j]! ? j : this.alias[j]!);
      counts[idx]! += 1;
      if (idx < lo) lo = idx;
      if (idx > hi) hi = idx;
    }
    return collect(lo, hi);
  }
}

/** Binomial(n, p) by geometric skips: one logarithm per success, exact. */
export function binomial(n: number, p: number, next: () => number): number {
  if (p <= 0) return 0;
  const lq = Math.log(1 - p);
  let x = 0;
  let pos = 0;
  for (;;) {
    pos += Math.floor(Math.log(1 - next()) / lq) + 1;
    if (pos > n) return x;
    x++;
  }
}

export interface Case {
  name: string;
  gates: number;
  endpoints: number;
  samples: number;
  /** Latency case: one endpoint's latency scaled by this on the target (1 = A/A). */
  scale?: number;
  /** Latency case: the median latency of every endpoint, ms (default 20). */
  medianMs?: number;
  /** Error case: baseline and target error rate of the affected endpoint (others at baseline). */
  errors?: { baseline: number; target: number };
  criterion: string;
  seed: number;
}

export interface CaseResult {
  name: string;
  gates: number;
  go: number;
  noGo: number;
  inconclusive: number;
  /** For INCONCLUSIVE gates: the samples per side the verdict said would settle it. */
  settle: number[];
  ms: number;
}

const MEDIAN_MS = 20;
const SIGMA = 0.5;
const AT = '2026-11-28T00:00:00.000Z';

function metric(environment: string, endpoint: number, name: string, type: 'trend' | 'rate'): MetricEvidence {
  return {
    kind: 'metric',
    suite: 'performance',
    environment,
    name,
    type,
    tags: { scenario: 'sim', service: 'svc', endpoint: `GET /e${String(endpoint).padStart(2, '0')}` },
    at: AT,
  };
}

export function gateFor(criterion: string) {
  return parseGate({
    id: 'sim',
    phase: 3,
    title: 'simulation',
    criteria: [{ id: 'c', title: 'criterion', serves: 2, expr: criterion }],
  });
}

const samplers = new Map<number, BucketedLognormal>();
function samplerFor(medianMs: number): BucketedLognormal {
  const known = samplers.get(medianMs);
  if (known) return known;
  const made = new BucketedLognormal(medianMs, SIGMA);
  samplers.set(medianMs, made);
  return made;
}

/** One endpoint's evidence on one side: a latency histogram, or error counts. */
function endpointEvidence(
  c: Case,
  e: number,
  side: 'baseline' | 'target',
  next: () => number,
): MetricEvidence {
  const affected = e === 0 && side === 'target';
  if (c.errors) {
    const x = binomial(c.samples, affected ? c.errors.target : c.errors.baseline, next);
    return { ...metric(side, e, 'http_req_failed', 'rate'), passes: x, fails: c.samples - x };
  }
  const item = metric(side, e, 'http_req_duration', 'trend');
  const medianMs = (c.medianMs ?? MEDIAN_MS) * (affected ? (c.scale ?? 1) : 1);
  primeDistribution(item, samplerFor(medianMs).sample(c.samples, next));
  return item;
}

/** A recorded baseline of a case (c.samples per endpoint), as `cutover plan` would read one. */
export function baselineOf(c: Case): MetricEvidence[] {
  const next = rng(c.seed * 7_919 + 1);
  return Array.from({ length: c.endpoints }, (_, e) => endpointEvidence(c, e, 'baseline', next));
}

/** The one service the simulated endpoints belong to. */
export const SERVICES = [{ id: 'svc', tier: 'application', phase: 3 }];

export function simulateGate(c: Case, gateIndex: number): GateResult {
  const next = rng(c.seed * 1_000_003 + gateIndex);
  const evidence: MetricEvidence[] = [];
  for (let e = 0; e < c.endpoints; e++)
    for (const side of ['baseline', 'target'] as const) evidence.push(endpointEvidence(c, e, side, next));
  const input: GateInput = {
    now: new Date(AT),
    checks: [],
    evidence,
    services: SERVICES,
    target: 'target',
    baseline: 'baseline',
    attestations: [],
    waivers: [],
  };
  return evaluateGate(gateFor(c.criterion), input);
}

export function runCase(c: Case, now: () => number): CaseResult {
  const start = now();
  const out: CaseResult = {
    name: c.name,
    gates: c.gates,
    go: 0,
    noGo: 0,
    inconclusive: 0,
    settle: [],
    ms: 0,
  };
  for (let g = 0; g < c.gates; g++) {
    const r = simulateGate(c, g);
    if (r.verdict === 'GO') out.go++;
    else if (r.verdict === 'NO-GO') out.noGo++;
    else {
      out.inconclusive++;
      const s = r.criteria[0]?.samplesToSettle;
      if (s !== undefined) out.settle.push(s);
    }
  }
  out.ms = now() - start;
  return out;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export const LATENCY = 'http_req_duration: p(95) <= baseline * 1.10';
export const ERRORS = 'http_req_failed: rate <= baseline + 0.001';

/** The cases of the issue, at a size factor (1 = full: 1000 gates per case). */
export function cases(gates: number): Case[] {
  return [
    { name: 'A/A, 5000 samples', gates, endpoints: 20, samples: 5000, criterion: LATENCY, seed: 1 },
    {
      name: 'one endpoint ×1.25, 5000 samples',
      gates,
      endpoints: 20,
      samples: 5000,
      scale: 1.25,
      criterion: LATENCY,
      seed: 2,
    },
    {
      name: 'one endpoint ×1.15, 20000 samples',
      gates,
      endpoints: 20,
      samples: 20000,
      scale: 1.15,
      criterion: LATENCY,
      seed: 3,
    },
    { name: 'A/A, 2000 samples', gates, endpoints: 20, samples: 2000, criterion: LATENCY, seed: 4 },
    {
      name: 'errors 0.5 % → 1.5 % on one endpoint, 20000 requests',
      gates,
      endpoints: 20,
      samples: 20000,
      errors: { baseline: 0.005, target: 0.015 },
      criterion: ERRORS,
      seed: 5,
    },
    {
      name: 'errors A/A 0.5 %, 20000 requests',
      gates,
      endpoints: 20,
      samples: 20000,
      errors: { baseline: 0.005, target: 0.005 },
      criterion: ERRORS,
      seed: 6,
    },
  ];
}
