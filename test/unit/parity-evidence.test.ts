// The parity evidence of one step from the passes the suite took: which of the baseline's further
// answers may serve as the noise reference, and what noise a recorded baseline hands in.
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/runners/auth/redact.js';
import type { ScenarioSpec, Step } from '../../src/suites/integration/define.js';
import { parityFor } from '../../src/suites/integration/evidence.js';
import type { PassResult, StepRun } from '../../src/suites/integration/pass.js';

const step: Step = { name: 'read', request: { method: 'GET', path: '/status' } };
const scenario: ScenarioSpec = { name: 'status', service: 'api', steps: [step] };

function pass(environment: string, body: unknown, status = 200): PassResult {
  const run: StepRun = {
    step,
    phase: 'steps',
    service: 'api',
    endpoint: 'GET /status',
    response: {
      status,
      headers: { 'content-type': 'application/json' },
      body,
      elapsedMs: 2,
      receivedAt: Date.parse('2026-12-01T10:00:00Z'),
    },
    problems: status === 200 ? [] : [`expected status 2xx, got ${status}`],
    captured: {},
  };
  return { environment, runs: [run], vars: {} };
}

const compare = (repeats: PassResult[], target: PassResult, learned?: Map<string, string[]>) =>
  parityFor({
    scenario,
    baselineName: 'baseline',
    first: pass('baseline', { state: 'ok', took: 0.01 }),
    repeats,
    target,
    ...(learned ? { learned } : {}),
    baselineServices: { api: 'http://127.0.0.1:1' },
    targetServices: { api: 'http://127.0.0.1:2' },
    redactor: new Redactor(),
    at: '2026-12-01T10:00:01Z',
  })[0]!;

describe('parityFor', () => {
  const failing = () => pass('target', { error: 'unavailable' }, 503);

  it('takes no noise from a baseline answer that failed where the first one did not', () => {
    // The baseline's second answer was a 503: had it been noise, the target's 503 would be equal.
    const flaky = pass('baseline', { error: 'unavailable' }, 503);
    expect(compare([flaky], failing())).toMatchObject({ compared: 0, equal: 0 });
    const out = compare([flaky, pass('baseline', { state: 'ok', took: 0.02 })], failing());
    expect(out).toMatchObject({ compared: 1, equal: 0 });
    expect(out.differences[0]).toMatchObject({ path: '@status', kind: 'status', baseline: 200, target: 503 });
  });

  it('hands the noise a recorded baseline learned for this step to the comparison', () => {
    const target = pass('target', { state: 'ok', took: 0.05 });
    const again = [pass('baseline', { state: 'ok', took: 0.01 })];
    expect(compare(again, target).differences.map((d) => d.path)).toEqual(['took']);
    const learned = new Map([['status › read', ['took']]]);
    const out = compare(again, target, learned);
    expect(out).toMatchObject({ compared: 1, equal: 1, noise: ['took'], learnedNoise: ['took'] });
  });
});
