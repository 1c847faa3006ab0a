// The executors' timelines: k6 durations, arrival schedules (constant and ramping), A/B windows, thresholds.
import { describe, expect, it } from 'vitest';
import { holdsThreshold, parseScenarioThreshold } from '../../src/core/gates/thresholds.js';
import {
  arrivalTimes,
  expectedIterations,
  levelAt,
  parseDuration,
  toProfile,
  windowProfile,
} from '../../src/core/load/profile.js';

describe('k6 durations', () => {
  it('reads the forms k6 accepts and refuses others', () => {
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('2.5s')).toBe(2500);
    expect(() => parseDuration('10 seconds')).toThrow(/invalid duration/);
    expect(() => parseDuration('1x')).toThrow(/invalid duration/);
  });
});

describe('arrival schedules', () => {
  it('constant-arrival-rate starts rate × duration iterations, evenly spaced', () => {
    const p = toProfile({
      executor: 'constant-arrival-rate',
      rate: 200,
      duration: '10s',
      preAllocatedVUs: 10,
    });
    const times = [...arrivalTimes(p)];
    expect(times).toHaveLength(2000);
    expect(times[0]).toBe(0);
    expect(times[1]).toBeCloseTo(5, 6);
    expect(times.at(-1)).toBeCloseTo(9995, 3);
    expect(p.maxVUs).toBe(10);
  });

  it('honours timeUnit: 30 per minute is one every 2 s', () => {
    const p = toProfile({
      executor: 'constant-arrival-rate',
      rate: 30,
      timeUnit: '1m',
      duration: '10s',
      preAllocatedVUs: 1,
    });
    expect([...arrivalTimes(p)]).toEqual([0, 2000, 4000, 6000, 8000]);
  });

  it('ramping-arrival-rate follows its stages (integral of the rate), including a ramp from 0', () => {
    const p = toProfile({
      executor: 'ramping-arrival-rate',
      startRate: 0,
      stages: [
        { duration: '10s', target: 100 },
        { duration: '10s', target: 100 },
      ],
      preAllocatedVUs: 5,
      maxVUs: 50,
    });
    const times = [...arrivalTimes(p)];
    // 0→100/s over 10 s is 500 iterations, then 1000 at 100/s.
    expect(times.length).toBe(1500);
    expect(times.filter((t) => t < 10_000).length).toBe(500);
    // Half-way up the ramp (5 s) only a quarter of the ramp's iterations have started.
    expect(times.filter((t) => t < 5000).length).toBe(125);
    expect(expectedIterations(p)).toBeCloseTo(1500, 6);
    expect(p.maxVUs).toBe(50);
  });

  it('refuses executor options k6 would refuse', () => {
    expect(() =>
      toProfile({ executor: 'constant-arrival-rate', rate: 10, duration: '1s', preAllocatedVUs: 0 }),
    ).toThrow(/preAllocatedVUs/);
    expect(() =>
      toProfile({
        executor: 'constant-arrival-rate',
        rate: 10,
        duration: '1s',
        preAllocatedVUs: 5,
        maxVUs: 2,
      }),
    ).toThrow(/maxVUs/);
    expect(() => toProfile({ executor: 'ramping-vus', stages: [] })).toThrow(/stages/);
  });
});

describe('A/B windows', () => {
  it('cuts a ramp into blocks that together hold exactly the whole timeline', () => {
    const p = toProfile({
      executor: 'ramping-arrival-rate',
      startRate: 10,
      stages: [{ duration: '10s', target: 110 }],
      preAllocatedVUs: 5,
    });
    const blocks = [0, 1, 2, 3, 4].map((i) => windowProfile(p, i * 2000, (i + 1) * 2000));
    const total = blocks.reduce((n, b) => n + expectedIterations(b), 0);
    expect(total).toBeCloseTo(expectedIterations(p), 6);
    // The third block starts where the ramp is at 50/s (0.05 per ms).
    expect(levelAt(blocks[2]!, 0)).toBeCloseTo(0.05, 9);
    expect(blocks[2]!.durationMs).toBe(2000);
  });

  it('VU timelines keep their level inside a window', () => {
    const p = toProfile({ executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '10s', target: 20 }] });
    expect(levelAt(windowProfile(p, 5000, 6000), 0)).toBeCloseTo(10, 9);
  });
});

describe('k6 threshold syntax, read by the gates grammar', () => {
  it('parses k6 expressions with and without spaces and with tag filters', () => {
    const t = parseScenarioThreshold('http_req_duration{endpoint:GET /api/equipment}', 'p(99.9) < 2000');
    expect(t.condition).toMatchObject({ metric: 'http_req_duration', op: '<', threshold: 2000 });
    expect(t.condition.agg).toMatchObject({ fn: 'p' });
    expect((t.condition.agg as { q: number }).q).toBeCloseTo(0.999, 12);
    expect(t.condition.filter).toEqual({ endpoint: 'GET /api/equipment' });
    expect(parseScenarioThreshold('http_req_failed', 'rate<0.01').condition).toMatchObject({
      agg: { fn: 'rate' },
      threshold: 0.01,
    });
    // k6's === reads as ==, and a threshold may hold a value exactly (checks that all hold).
    expect(parseScenarioThreshold('checks{check:lists items}', 'rate===1').condition.op).toBe('==');
    // A counter's rate is per second of the run, as k6 computes it.
    expect(parseScenarioThreshold('http_reqs', 'rate>100').condition.agg).toEqual({ fn: 'rate' });
    const held = (actual: number, source: string) =>
      holdsThreshold(actual, parseScenarioThreshold('http_reqs', source).condition);
    expect(held(5, 'count<=5')).toBe(true);
    expect(held(5, 'count!=5')).toBe(false);
  });

  it('refuses what k6 refuses, and a limit relative to the baseline (a gate criterion)', () => {
    expect(() => parseScenarioThreshold('http_req_duration', 'rate<0.1')).toThrow(
      /a trend allows avg, min, max, med, p\(N\)/,
    );
    expect(() => parseScenarioThreshold('http_req_duration', 'p(101)<3')).toThrow(/between 0 and 100/);
    expect(() => parseScenarioThreshold('http_req_duration', 'p95 < 3')).toThrow(/unknown aggregation "p95"/);
    expect(() => parseScenarioThreshold('my_custom', 'count<1')).toThrow(
      /thresholds may use http_req_duration/,
    );
    expect(() => parseScenarioThreshold('http_req_duration', 'p(95) <= baseline * 1.1')).toThrow(
      /belongs in a gate/,
    );
    expect(() => parseScenarioThreshold('http_req_duration{servce:x}', 'p(95)<1')).toThrow(
      /no request of the scenario carries a tag "servce"/,
    );
  });
});
