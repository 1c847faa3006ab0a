// The statistics gates rest on, against published values and against the real HdrHistogram.
import { describe, expect, it } from 'vitest';
import { BucketedLognormal, lognormalDistribution, rng } from '../../scripts/gate-simulation/model.js';
import { bucketsMs, createHistogram, decodeHistogram, recordMs } from '../../src/core/histogram.js';
import { distributionFromEncoded, distributionOf, quantileOf } from '../../src/core/stats/distribution.js';
import { holmAdjust, holmReject } from '../../src/core/stats/holm.js';
import { normalCdf, normalQuantile } from '../../src/core/stats/normal.js';
import { normalErrors, samplesPerSide } from '../../src/core/stats/planning.js';
import { newcombe, wilson } from '../../src/core/stats/proportion.js';
import { compareQuantiles, quantileInterval } from '../../src/core/stats/quantile-ci.js';
import { lognormalHistogram } from '../helpers/gate-evidence.js';

describe('normal distribution', () => {
  it('matches tabulated values', () => {
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 9);
    expect(normalCdf(-1.6448536269514722)).toBeCloseTo(0.05, 9);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 8);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 7);
    for (const p of [1e-6, 0.01, 0.3, 0.5, 0.77, 0.999])
      expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 9);
  });
});

describe('proportions', () => {
  it("Wilson's interval matches Newcombe (1998) table I", () => {
    // 81/263 at 95 %: 0.2553–0.3662
    const w = wilson(81, 263, 1.959963984540054);
    expect(w.low).toBeCloseTo(0.2553, 4);
    expect(w.high).toBeCloseTo(0.3662, 4);
    // 0/10: 0–0.2775
    expect(wilson(0, 10, 1.959963984540054).high).toBeCloseTo(0.2775, 4);
  });

  it("Newcombe's hybrid score interval matches his worked example (56/70 − 48/80)", () => {
    const d = newcombe(56, 70, 48, 80, 1.959963984540054);
    expect(d.low).toBeCloseTo(0.0524, 4);
    expect(d.high).toBeCloseTo(0.3339, 4);
  });
});

describe('Holm–Bonferroni', () => {
  it('steps down and stops at the first non-rejection', () => {
    expect(holmReject([0.01, 0.04, 0.03, 0.005], 0.05)).toEqual([true, false, false, true]);
    expect(holmReject([0.001, 0.2], 0.05)).toEqual([true, false]);
    expect(holmAdjust([0.01, 0.04, 0.03, 0.005])).toEqual([0.03, 0.06, 0.06, 0.02]);
  });
});

describe('quantiles from histograms', () => {
  it('the simulation buckets exactly as HdrHistogram does', () => {
    const next = rng(11);
    const fast = lognormalDistribution(4000, 20, 0.5, next);
    const again = rng(11);
    const h = createHistogram();
    for (let i = 0; i < 4000; i += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - again()));
      const th = 2 * Math.PI * again();
      for (const z of [r * Math.cos(th), r * Math.sin(th)])
        recordMs(h, Math.max(1, Math.round(Math.exp(Math.log(20_000) + 0.5 * z))) / 1000);
    }
    const real = distributionOf(bucketsMs(h));
    expect(Array.from(fast.values)).toEqual(Array.from(real.values));
    expect(Array.from(fast.cum)).toEqual(Array.from(real.cum));
  });

  it('decoding straight into a distribution gives exactly what bucketsMs gives', () => {
    for (const seed of [1, 2, 3]) {
      const encoded = lognormalHistogram(3000, 5 * seed, 0.8, seed);
      const fast = distributionFromEncoded(encoded);
      const reference = distributionOf(bucketsMs(decodeHistogram(encoded)));
      expect(Array.from(fast.values)).toEqual(Array.from(reference.values));
      expect(Array.from(fast.cum)).toEqual(Array.from(reference.cum));
    }
  });

  it('the alias sampler draws the same bucketed lognormal as Box–Muller does', () => {
    const alias = new BucketedLognormal(20, 0.5).sample(400_000, rng(3));
    const direct = lognormalDistribution(400_000, 20, 0.5, rng(4));
    for (const [q, z] of [
      [0.05, -1.6448536269514722],
      [0.5, 0],
      [0.95, 1.6448536269514722],
      [0.99, 2.3263478740408408],
    ] as const) {
      const truth = 20 * Math.exp(0.5 * z);
      expect(quantileOf(alias, q) / truth).toBeCloseTo(1, 2);
      expect(quantileOf(direct, q) / truth).toBeCloseTo(1, 2);
    }
  });

  it('the distribution-free interval covers the true p95 about 90 % of the time', () => {
    const trueP95 = 20 * Math.exp(0.5 * 1.6448536269514722);
    let covered = 0;
    for (let s = 0; s < 200; s++) {
      const ci = quantileInterval(
        lognormalDistribution(1000, 20, 0.5, rng(500 + s)),
        0.95,
        1.6448536269514722,
      )!;
      if (ci.low <= trueP95 && trueP95 <= ci.high) covered++;
    }
    expect(covered / 200).toBeGreaterThan(0.84);
    expect(covered / 200).toBeLessThan(0.97);
  });

  it('compares quantiles from encoded histograms, on the ratio and the ms scale', () => {
    const t = distributionOf(bucketsMs(decodeHistogram(lognormalHistogram(5000, 24, 0.5, 1))));
    const b = distributionOf(bucketsMs(decodeHistogram(lognormalHistogram(5000, 20, 0.5, 2))));
    const ratio = compareQuantiles(t, b, 0.95, 1.1, 0)!;
    expect(Math.exp(ratio.comparison.estimate)).toBeCloseTo(quantileOf(t, 0.95) / quantileOf(b, 0.95), 6);
    expect(ratio.comparison.se).toBeGreaterThan(0.01);
    expect(ratio.comparison.se).toBeLessThan(0.04);
    const slack = compareQuantiles(t, b, 0.95, 1.1, 5)!;
    expect(slack.comparison.scale).toBe('difference-ms');
    expect(slack.comparison.limit).toBe(5);
    expect(compareQuantiles(distributionOf([[1, 5]]), b, 0.95, 1.1, 0)).toBeUndefined();
  });

  it('plans more samples for a tighter tolerance and none for an impossible one', () => {
    const a = samplesPerSide({ errorsAt: normalErrors(1), margin: Math.log(1.1), alpha: 0.05, power: 0.995 });
    const b = samplesPerSide({
      errorsAt: normalErrors(1),
      margin: Math.log(1.05),
      alpha: 0.05,
      power: 0.995,
    });
    expect(b).toBeGreaterThan(3 * a);
    expect(samplesPerSide({ errorsAt: normalErrors(1), margin: 0, alpha: 0.05, power: 0.9 })).toBe(
      Number.POSITIVE_INFINITY,
    );
  });
});
