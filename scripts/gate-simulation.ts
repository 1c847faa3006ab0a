// The seeded simulation of docs/gates.md: `npx jiti scripts/gate-simulation.ts [--gates 1000]`.
// Prints, per case, how often a gate came out GO / NO-GO / INCONCLUSIVE, and for A/A at 2000 samples
// how many samples the INCONCLUSIVE verdicts asked for against where A/A actually settles.
import { cases, LATENCY, median, runCase } from './gate-simulation/model.js';

const arg = process.argv.indexOf('--gates');
const gates = arg > 0 ? Number(process.argv[arg + 1]) : 1000;
const pct = (k: number, n: number) => `${((100 * k) / n).toFixed(1)} %`;
const started = Date.now();
console.log(`gate simulation: ${gates} gates per case, 20 endpoints, lognormal sigma 0.5, seeded\n`);
console.log('| case | GO | NO-GO | INCONCLUSIVE | time |');
console.log('|---|---|---|---|---|');
let settleMedian = Number.NaN;
for (const c of cases(gates)) {
  const r = runCase(c, () => Date.now());
  console.log(
    `| ${c.name} | ${pct(r.go, r.gates)} | ${pct(r.noGo, r.gates)} | ${pct(r.inconclusive, r.gates)} | ${(r.ms / 1000).toFixed(1)} s |`,
  );
  if (c.name.startsWith('A/A, 2000')) settleMedian = median(r.settle);
}
console.log(
  `\nA/A at 2000 samples: the INCONCLUSIVE verdicts asked for a median of ${settleMedian} samples per side.`,
);
console.log('Where A/A actually settles (share of gates decided, i.e. not INCONCLUSIVE):');
for (const samples of [2000, 3000, 4000, 5000, 6000, 8000]) {
  const r = runCase(
    {
      name: `A/A ${samples}`,
      gates: Math.max(50, Math.round(gates / 4)),
      endpoints: 20,
      samples,
      criterion: LATENCY,
      seed: 7 + samples,
    },
    () => Date.now(),
  );
  console.log(
    `  ${samples} samples: decided ${pct(r.go + r.noGo, r.gates)} (GO ${pct(r.go, r.gates)}, NO-GO ${pct(r.noGo, r.gates)})`,
  );
}
console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(1)} s`);
