import { describe, expect, it } from 'vitest';
import { applyDrift, parsePath, planFaults } from '../../sim/faults.js';
import { lognormal, seededRng } from '../../sim/rng.js';
import { type Fault, MAX_FAULT_DELAY_MS } from '../../src/core/faults.js';

const plan = (faults: Fault[], startedAt = 0) => planFaults(faults, 7, 'target/psra-api', startedAt);

describe('drift paths', () => {
  it('parses dotted and indexed paths', () => {
    expect(parsePath('result.originCountry')).toEqual(['result', 'originCountry']);
    expect(parsePath('items[0].id')).toEqual(['items', 0, 'id']);
    expect(parsePath('a[1][2].b')).toEqual(['a', 1, 2, 'b']);
  });

  it('changes, removes or retypes the value at the path, and leaves bodies without it alone', () => {
    const body = () => ({ items: [{ id: 'a', n: 1, ok: true, tags: { x: 1 } }], country: 'NL' });
    const at = (path: string, mode: 'value' | 'missing' | 'type') => {
      const b = body();
      applyDrift(b, parsePath(path), mode);
      return b;
    };
    expect(at('items[0].id', 'value').items[0]!.id).toBe('a-drift');
    expect(at('items[0].n', 'value').items[0]!.n).toBe(2);
    expect(at('items[0].ok', 'value').items[0]!.ok).toBe(false);
    expect(at('country', 'value').country).toMatch(/^[A-Z]{2}$/);
    expect(at('country', 'value').country).not.toBe('NL');
    expect(at('items[0].n', 'missing').items[0]).not.toHaveProperty('n');
    expect(at('items[0]', 'missing').items).toEqual([]);
    expect(at('items[0].id', 'type').items[0]!.id).toBe(42);
    expect(at('items[0].n', 'type').items[0]!.n).toBe('1');
    expect(at('items[0].ok', 'type').items[0]!.ok).toBe('true');
    expect(Array.isArray(at('items[0].tags', 'type').items[0]!.tags)).toBe(true);
    expect(at('items[3].id', 'value')).toEqual(body());
    expect(at('nothing.here', 'missing')).toEqual(body());
  });

  it('drifts a copy, never the handler state it was given', () => {
    const state = { result: { originCountry: 'NL' } };
    const drifted = plan([{ kind: 'drift', path: 'result.originCountry', mode: 'missing' }]).drift(state);
    expect(drifted).toEqual({ result: {} });
    expect(state.result.originCountry).toBe('NL');
  });
});

describe('fault plans', () => {
  it('rolls errors reproducibly from the seed, at about the requested rate', () => {
    const rolls = (rate: number) => {
      const p = plan([{ kind: 'errors', rate }]);
      return Array.from({ length: 2000 }, () => p.injectError());
    };
    expect(rolls(0.3)).toEqual(rolls(0.3));
    const hits = rolls(0.3).filter(Boolean).length;
    expect(hits).toBeGreaterThan(500);
    expect(hits).toBeLessThan(700);
    expect(rolls(0).includes(true)).toBe(false);
    expect(rolls(1).includes(false)).toBe(false);
  });

  it('adds fixed and lognormal latencies together', () => {
    const p = plan([
      { kind: 'latency-fixed', addMs: 50 },
      { kind: 'latency-lognormal', medianMs: 20, sigma: 0 },
    ]);
    expect(p.latencyMs()).toBeCloseTo(70, 6);
  });

  it('applies a step fault only from its start, and without a time only faults that have none', () => {
    const p = plan(
      [
        { kind: 'latency-fixed', addMs: 50 },
        { kind: 'latency-fixed', addMs: 200, afterMs: 1000 },
        { kind: 'errors', rate: 1, afterMs: 1000 },
      ],
      10_000,
    );
    expect(p.latencyMs(10_999)).toBe(50);
    expect(p.injectError(10_999)).toBe(false);
    expect(p.latencyMs(11_000)).toBe(250);
    expect(p.injectError(11_000)).toBe(true);
    expect(p.latencyMs()).toBe(50);
    expect(p.injectError()).toBe(false);
  });

  it('cuts a lognormal latency at the longest fault delay, so no draw overflows a timer', () => {
    const p = plan([{ kind: 'latency-lognormal', medianMs: 600_000, sigma: 5 }]);
    const draws = Array.from({ length: 200 }, () => p.latencyMs());
    expect(Math.max(...draws)).toBe(MAX_FAULT_DELAY_MS);
    expect(Math.min(...draws)).toBeGreaterThan(0);
  });

  it('samples lognormal latencies around the median', () => {
    const rng = seededRng(3, 'latency');
    const samples = Array.from({ length: 4001 }, () => lognormal(rng, 20, 0.5)).sort((a, b) => a - b);
    expect(samples[2000]!).toBeGreaterThan(18);
    expect(samples[2000]!).toBeLessThan(22);
    expect(samples[0]!).toBeGreaterThan(0);
  });

  it('holds responses until the stall window ends, chaining windows that touch', () => {
    const p = plan(
      [
        { kind: 'stall', afterMs: 1000, durationMs: 500 },
        { kind: 'stall', afterMs: 1500, durationMs: 200 },
      ],
      10_000,
    );
    expect(p.stallWaitMs(10_999)).toBe(0);
    expect(p.stallWaitMs(11_000)).toBe(700);
    expect(p.stallWaitMs(11_600)).toBe(100);
    expect(p.stallWaitMs(11_700)).toBe(0);
  });

  it('ignores posture defects and marks down', () => {
    expect(plan([{ kind: 'posture', defect: 'privileged' }]).down).toBe(false);
    expect(plan([{ kind: 'down' }]).down).toBe(true);
  });
});
