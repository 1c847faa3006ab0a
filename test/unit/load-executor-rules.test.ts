// A load scenario's executor is checked when it loads as k6 checks it before starting (strict keys, and
// the values k6's Validate refuses), so nothing k6 would refuse reaches k6 or a runner pod.
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../src/suites/performance/check.js';

const scenario = (executor: Record<string, unknown>) => ({
  name: 'orders',
  description: 'orders',
  service: 'orders-api',
  executor,
  requests: [{ weight: 1, method: 'GET', path: '/orders' }],
});
const car = { executor: 'constant-arrival-rate', rate: 10, duration: '10s', preAllocatedVUs: 5 };

describe('executor rules k6 applies', () => {
  it('accepts what k6 accepts', () => {
    for (const e of [
      car,
      { ...car, duration: '1s', maxVUs: 5, timeUnit: '1m' },
      { executor: 'constant-vus', vus: 2, duration: '1s' },
      { executor: 'ramping-vus', stages: [{ duration: '500ms', target: 2 }] },
      { executor: 'ramping-arrival-rate', preAllocatedVUs: 2, stages: [{ duration: '200ms', target: 5 }] },
    ])
      expect(() => validateScenario(scenario(e), 'orders.load.ts'), JSON.stringify(e)).not.toThrow();
  });

  it('refuses constant executors under 1 s, naming the key and the value', () => {
    expect(() => validateScenario(scenario({ ...car, duration: '500ms' }), 'orders.load.ts')).toThrow(
      /orders\.load\.ts: .*executor\.duration.*k6 refuses it: the duration must be at least 1s, but is 500ms/,
    );
    expect(() =>
      validateScenario(scenario({ executor: 'constant-vus', vus: 1, duration: '999ms' }), 'x.ts'),
    ).toThrow(/executor\.duration.*at least 1s, but is 999ms/);
  });

  it('refuses maxVUs below preAllocatedVUs and a zero timeUnit', () => {
    expect(() => validateScenario(scenario({ ...car, maxVUs: 2 }), 'x.ts')).toThrow(
      /executor\.maxVUs.*maxVUs can't be less than preAllocatedVUs \(2 < 5\)/,
    );
    expect(() => validateScenario(scenario({ ...car, timeUnit: '0s' }), 'x.ts')).toThrow(
      /executor\.timeUnit.*the timeUnit must be more than 0/,
    );
  });

  it('refuses a key k6 does not know, as its strict unmarshalling does', () => {
    expect(() => validateScenario(scenario({ ...car, maxVus: 5 }), 'x.ts')).toThrow(
      /x\.ts: executor.*maxVus/,
    );
  });
});
