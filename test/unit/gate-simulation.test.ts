// The seeded simulation of docs/gates.md at a reduced size (scripts/gate-simulation.ts runs it at
// 1000 gates per case). The bounds are the issue's, widened by the sampling error of fewer gates.
import { describe, expect, it } from 'vitest';
import { cases, LATENCY, median, runCase } from '../../scripts/gate-simulation/model.js';

const GATES = 40;
const byName = Object.fromEntries(cases(GATES).map((c) => [c.name, c]));
const run = (name: string) => runCase(byName[name]!, () => Date.now());

describe('seeded gate simulation (reduced)', () => {
  it('A/A at 5000 samples: almost never NO-GO, mostly GO', () => {
    const r = run('A/A, 5000 samples');
    expect(r.noGo).toBeLessThanOrEqual(1);
    expect(r.go / r.gates).toBeGreaterThanOrEqual(0.85);
  });

  it('one endpoint 25 % slower at 5000 samples: NO-GO', () => {
    const r = run('one endpoint ×1.25, 5000 samples');
    expect(r.noGo / r.gates).toBeGreaterThanOrEqual(0.9);
    expect(r.go).toBe(0);
  });

  it('A/A at 2000 samples: mostly INCONCLUSIVE, each saying how many samples would settle it', () => {
    const r = run('A/A, 2000 samples');
    expect(r.inconclusive / r.gates).toBeGreaterThanOrEqual(0.75);
    expect(r.noGo).toBe(0);
    expect(r.settle.length).toBe(r.inconclusive);
    // They ask for more than they have, and about where A/A settles (3000–8000 in the full run).
    const asked = median(r.settle);
    expect(asked).toBeGreaterThan(2000);
    expect(asked).toBeLessThan(12_000);
    const later = runCase(
      {
        name: 'A/A at the asked size',
        gates: 20,
        endpoints: 20,
        samples: Math.round(asked),
        criterion: LATENCY,
        seed: 77,
      },
      () => Date.now(),
    );
    expect((later.go + later.noGo) / later.gates).toBeGreaterThanOrEqual(0.6);
  });

  it('an error rate from 0.5 % to 1.5 % on one endpoint over 20000 requests: NO-GO', () => {
    const r = run('errors 0.5 % → 1.5 % on one endpoint, 20000 requests');
    expect(r.noGo / r.gates).toBeGreaterThanOrEqual(0.95);
    expect(run('errors A/A 0.5 %, 20000 requests').noGo).toBeLessThanOrEqual(1);
  });
});
