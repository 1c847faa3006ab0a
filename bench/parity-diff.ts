// Benchmark: one parity comparison of a large list response — baseline twice, target once, 5000 items of
// 8 fields with a fresh id and timestamp each, one real drift, and a normaliser. `npx jiti bench/parity-diff.ts`.
import { performance } from 'node:perf_hooks';
import { compareResponses, type ParityResponse } from '../src/core/parity/compare.js';
import { compileNormalisers } from '../src/core/parity/normalise.js';

const ITEMS = 5000;
const ROUNDS = 20;

function response(pass: number, drift: boolean): ParityResponse {
  const items = Array.from({ length: ITEMS }, (_, i) => ({
    id: `${pass}${String(i).padStart(7, '0')}-1f2d-4c3b-9a8e-7d6c5b4a3f21`,
    sku: `SKU-${i}`,
    name: `Item ${i}`,
    price: (i % 97) + 0.5,
    stock: i % 13,
    tags: ['a', 'b', String(i % 5)],
    updatedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, pass)).toISOString(),
    owner: { id: i % 31, name: `Owner ${i % 31}` },
  }));
  if (drift) items[4321]!.price += 1;
  return { status: 200, headers: { 'content-type': 'application/json' }, body: { items, total: ITEMS } };
}

const { normalisers } = compileNormalisers([{ kind: 'unordered', paths: ['items[*].tags'] }]);
const rules = { ignore: [], headers: ['content-type'], normalisers };
const times: number[] = [];
let heap = 0;
for (let round = 0; round < ROUNDS; round++) {
  const [a, b, t] = [response(1, false), response(2, false), response(3, true)];
  const before = process.memoryUsage().heapUsed;
  const start = performance.now();
  const out = compareResponses({
    baseline: { response: a, substitutions: [] },
    repeats: [{ response: b, substitutions: [] }],
    target: { response: t, substitutions: [] },
    rules,
  });
  times.push(performance.now() - start);
  heap = Math.max(heap, process.memoryUsage().heapUsed - before);
  if (out.differences.length !== 1 || out.differences[0]!.path !== 'items[4321].price') {
    throw new Error(`unexpected result: ${JSON.stringify(out.differences.slice(0, 3))}`);
  }
}
times.sort((x, y) => x - y);
const ms = (v: number) => `${v.toFixed(0)} ms`;
console.log(
  `parity of ${ITEMS} items × 8 fields (3 responses): median ${ms(times[ROUNDS >> 1]!)}, best ${ms(times[0]!)}, worst ${ms(times.at(-1)!)}, heap growth ≤ ${(heap / 2 ** 20).toFixed(1)} MiB`,
);
