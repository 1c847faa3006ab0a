// The Compose side's traffic by hour of the week: which hour a time falls in, how hours add up over
// weeks, and which figures a watch window is compared with.
import { describe, expect, it } from 'vitest';
import {
  addHour,
  figureFor,
  hourOfWeek,
  type TrafficBaseline,
} from '../../src/core/monitoring/traffic-baseline.js';

const H = 3_600_000;

describe('traffic by hour of the week', () => {
  it('numbers the hours from Monday 00:00 UTC', () => {
    expect(hourOfWeek(Date.parse('2026-12-07T00:30:00Z'))).toBe(0); // a Monday
    expect(hourOfWeek(Date.parse('2026-12-07T13:00:00Z'))).toBe(13);
    expect(hourOfWeek(Date.parse('2026-12-13T23:59:59Z'))).toBe(167); // Sunday
    expect(hourOfWeek(0)).toBe(3 * 24); // the epoch, a Thursday
  });

  it('adds the same hour of several weeks, bucket by bucket', () => {
    const one = addHour(undefined, {
      requests: 10,
      errors: 1,
      buckets: [
        [5, 9],
        [null, 1],
      ],
    });
    const two = addHour(one, {
      requests: 20,
      errors: 0,
      buckets: [
        [5, 20],
        [null, 0],
      ],
    });
    expect(two).toEqual({
      requests: 30,
      errors: 1,
      buckets: [
        [5, 29],
        [null, 1],
      ],
      hours: 2,
    });
    expect(one.buckets).toEqual([
      [5, 9],
      [null, 1],
    ]);
  });

  it('compares with the same hour, else with every recorded hour, and says which', () => {
    const baseline: TrafficBaseline = {
      prometheus: 'http://p',
      environment: 'baseline',
      from: 'a',
      to: 'b',
      services: {
        api: {
          '13': { requests: 100, errors: 0, buckets: [[5, 100]], hours: 1 },
          '14': {
            requests: 50,
            errors: 5,
            buckets: [
              [5, 40],
              [250, 10],
            ],
            hours: 1,
          },
        },
      },
    };
    const monday = Date.parse('2026-12-07T00:00:00Z');
    expect(figureFor(baseline, 'api', monday + 13 * H + 60_000)).toMatchObject({
      figure: { requests: 100 },
      note: 'hour 13 of the week',
    });
    expect(figureFor(baseline, 'api', monday + 20 * H)).toEqual({
      figure: {
        requests: 150,
        errors: 5,
        buckets: [
          [5, 140],
          [250, 10],
        ],
        hours: 2,
      },
      note: 'every recorded hour (none for hour 20 of the week)',
    });
    expect(figureFor(baseline, 'other', monday)).toBeUndefined();
  });
});
