// A planned step that was not sent on both sides is missing evidence: its parity item says why it was
// not compared, its service's coverage names it, and the parity and integration criteria of that
// service (not of the others) are INCONCLUSIVE with the step named — never a PASS over the rest.
import { describe, expect, it } from 'vitest';
import type { Evidence, ParityEvidence } from '../../src/core/evidence.js';
import type { GateSpec } from '../../src/core/gates/define.js';
import { evaluateGate } from '../../src/core/gates/evaluate.js';
import { parseGate } from '../../src/core/gates/parse.js';
import type { CheckResult } from '../../src/core/model.js';
import { endpointName } from '../../src/core/steps/template.js';
import { paritySection } from '../../src/report/parity-markdown.js';
import { Redactor } from '../../src/runners/auth/redact.js';
import { defineScenario } from '../../src/suites/integration/define.js';
import { parityFor, parityNotRun } from '../../src/suites/integration/evidence.js';
import type { PassResult, Phase, StepRun } from '../../src/suites/integration/pass.js';
import { StepLedger } from '../../src/suites/integration/step-coverage.js';
import { AT, input } from '../helpers/gate-evidence.js';

const shop = defineScenario({
  name: 'shop',
  service: 'orders',
  steps: [
    {
      name: 'open session',
      service: 'accounts',
      request: { method: 'POST', path: '/sessions' },
      capture: { sessionId: 'session.id' },
    },
    { name: 'list catalog', request: { method: 'GET', path: '/catalog' } },
    {
      name: 'create order',
      request: { method: 'POST', path: '/orders', headers: { 'x-session': '{{sessionId}}' } },
    },
    { name: 'audit', request: { method: 'GET', path: '/audit' }, parity: false },
  ],
});

const answer = (body: unknown) => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body,
  elapsedMs: 2,
  receivedAt: Date.now(),
});

/** One environment's pass: every step answered alike, unless `over` says otherwise for a step. */
function pass(environment: string, over: Record<string, Partial<StepRun>> = {}): PassResult {
  const runs = shop.steps.map(
    (step): StepRun => ({
      step,
      phase: 'steps' as Phase,
      service: ('service' in step ? step.service : undefined) ?? shop.service,
      endpoint: endpointName(step.request.method, step.request.path),
      response: answer({ ok: true, step: step.name }),
      problems: [],
      captured: {},
      ...over[step.name],
    }),
  );
  return { environment, runs, vars: {} };
}

const notSent = {
  response: undefined,
  skipped: 'needs {{sessionId}}, which step "open session" did not capture',
};

function parity(
  target: PassResult,
  first = pass('baseline'),
  repeat: PassResult | string = pass('baseline'),
) {
  return parityFor({
    scenario: shop,
    baselineName: 'baseline',
    first,
    ...(typeof repeat === 'string' ? { repeats: [], brokenRepeats: [repeat] } : { repeats: [repeat] }),
    target,
    baselineServices: { orders: 'http://127.0.0.1:1', accounts: 'http://127.0.0.1:1' },
    targetServices: { orders: 'http://127.0.0.1:2', accounts: 'http://127.0.0.1:2' },
    redactor: new Redactor(),
    at: AT,
  });
}

const summary = (items: ParityEvidence[]) =>
  items.map((p) => `${p.step}: ${p.compared}/${p.equal} ${p.reason ?? ''}`.trim());

describe('parity evidence of steps that were not compared', () => {
  it('keeps an item per step, compared 0, with why: not sent, no answer, no noise reference', () => {
    expect(summary(parity(pass('target', { 'create order': notSent })))).toEqual([
      'open session: 1/1',
      'list catalog: 1/1',
      'create order: 0/0 was not sent on target: needs {{sessionId}}, which step "open session" did not capture',
    ]);
    const noAnswer = pass('baseline', {
      'list catalog': { response: undefined, failure: 'timeout: no answer in 1000 ms' },
    });
    expect(summary(parity(pass('target'), noAnswer))[1]).toBe(
      'list catalog: 0/0 got no answer on baseline: timeout: no answer in 1000 ms',
    );
    const secondNotSent = pass('baseline', { 'create order': notSent });
    expect(summary(parity(pass('target'), pass('baseline'), secondNotSent))[2]).toBe(
      'create order: 0/0 has no further answer from baseline to tell noise by: was not sent on baseline: needs {{sessionId}}, which step "open session" did not capture',
    );
    expect(
      summary(parity(pass('target'), pass('baseline'), 'the scenario stopped with an error: boom'))[0],
    ).toBe(
      'open session: 0/0 has no further answer from baseline to tell noise by: the scenario stopped with an error: boom',
    );
  });

  it('lists every compared step of a scenario whose pass broke down, none of them compared', () => {
    const items = parityNotRun(
      shop,
      'target',
      'baseline',
      'was not run on target: the scenario stopped with an error: boom',
      AT,
    );
    expect(items.map((p) => [p.step, p.service, p.endpoint, p.compared])).toEqual([
      ['open session', 'accounts', 'POST /sessions', 0],
      ['list catalog', 'orders', 'GET /catalog', 0],
      ['create order', 'orders', 'POST /orders', 0],
    ]);
    expect(
      items.every((p) => p.reason === 'was not run on target: the scenario stopped with an error: boom'),
    ).toBe(true);
  });

  it('shows them in report.md with their reasons', () => {
    const text = paritySection({ evidence: parity(pass('target', { 'create order': notSent })) }).join('\n');
    expect(text).toContain('Not compared — missing evidence (1 steps):');
    expect(text).toContain(
      `- target: step 'create order' of scenario 'shop' was not sent on target: needs {{sessionId}}, which step "open session" did not capture`,
    );
  });
});

describe('coverage of planned steps per service', () => {
  it('counts the steps each service sent, names those it did not, and those that never started', () => {
    const ledger = new StepLedger([shop], ['baseline', 'target']);
    ledger.ran('baseline', shop, pass('baseline').runs);
    ledger.ran('target', shop, pass('target', { 'create order': notSent, audit: notSent }).runs);
    const cov = Object.fromEntries(ledger.coverage(AT).map((c) => [`${c.environment} ${c.service}`, c]));
    expect(cov['baseline orders']).toMatchObject({ status: 'complete', counts: { planned: 3, sent: 3 } });
    expect(cov['target accounts']).toMatchObject({ status: 'complete', scope: 'integration:accounts' });
    expect(cov['target orders']).toMatchObject({
      scope: 'integration:orders',
      service: 'orders',
      status: 'partial',
      counts: { planned: 3, sent: 1 },
      reason: `step 'create order' of scenario 'shop' was not sent on target: needs {{sessionId}}, which step "open session" did not capture — no evidence; step 'audit' of scenario 'shop' was not sent on target: needs {{sessionId}}, which step "open session" did not capture — no evidence`,
    });
    expect(ledger.unsent().map((u) => `${u.environment} ${u.step}`)).toEqual([
      'target create order',
      'target audit',
    ]);

    const broken = new StepLedger([shop], ['baseline', 'target']);
    broken.broke('target', shop, 'the scenario stopped with an error: boom');
    const after = broken.coverage(AT);
    expect(after.find((c) => c.environment === 'target' && c.service === 'orders')).toMatchObject({
      status: 'could-not-check',
      counts: { planned: 3, sent: 0 },
    });
    // The baseline's scenarios never started (an interrupted run): its steps are not silently absent.
    expect(after.find((c) => c.environment === 'baseline' && c.service === 'orders')!.reason).toBe(
      '3 steps of orders not run on baseline: their scenarios did not start (the run was interrupted)',
    );
  });
});

// The services of the test: orders and accounts in wave shop, psra-api elsewhere.
const SERVICES = [
  { id: 'orders', tier: 'application', phase: 3, wave: 'shop' },
  { id: 'accounts', tier: 'application', phase: 3, wave: 'shop' },
  { id: 'psra-api', tier: 'application', phase: 3, wave: 'psra' },
];

function gate(...exprs: string[]): GateSpec {
  return {
    id: 'g',
    phase: 3,
    title: 'test gate',
    criteria: exprs.map((expr, i) => ({ id: `c${i}`, title: expr, serves: 3, expr })),
  };
}

function judge(expr: string, evidence: Evidence[], checks: CheckResult[] = []) {
  const g = evaluateGate(parseGate(gate(expr)), input(evidence, checks, { services: SERVICES }));
  return { verdict: g.verdict, status: g.criteria[0]!.status, reason: g.criteria[0]!.reason };
}

const item = (
  step: string,
  compared: number,
  equal: number,
  extra: Partial<ParityEvidence> = {},
): ParityEvidence => ({
  kind: 'parity',
  suite: 'integration',
  environment: 'target',
  baseline: 'baseline',
  scenario: 'shop',
  step,
  endpoint: `GET /${step}`,
  service: 'orders',
  compared,
  equal,
  differences: compared > equal ? [{ path: 'total', kind: 'value', baseline: 1, target: 2 }] : [],
  noise: [],
  at: AT,
  ...extra,
});

const check = (
  environment: string,
  service: string,
  step: string,
  status: CheckResult['status'],
): CheckResult => ({
  suite: 'integration',
  environment,
  service,
  check: `shop › ${step}`,
  status,
  reason: status === 'skip' ? 'not sent: needs {{sessionId}}' : 'ok',
  at: AT,
});

const serviceCoverage = (service: string, sent: number, planned: number, reason = 'all sent'): Evidence => ({
  kind: 'coverage',
  suite: 'integration',
  environment: 'target',
  scope: `integration:${service}`,
  service,
  status: sent === planned ? 'complete' : 'partial',
  reason,
  counts: { planned, sent },
  at: AT,
});

describe('gates on a service with a step not sent', () => {
  const unsentReason =
    'was not sent on target: needs {{sessionId}}, which step "open session" did not capture';

  it('parity: the ratio over the other steps is not a PASS; the step is named', () => {
    const ok = judge('parity{service:orders}.ratio == 1', [item('catalog', 1, 1)]);
    expect(ok.status).toBe('PASS');
    const r = judge('parity{service:orders}.ratio == 1', [
      item('catalog', 1, 1),
      item('create order', 0, 0, { reason: unsentReason }),
    ]);
    expect(r.verdict).toBe('INCONCLUSIVE');
    expect(r.reason).toContain(`but step 'create order' of scenario 'shop' ${unsentReason} — no evidence`);
    // A record written before items carried a reason: still no evidence, never a pass.
    const old = judge('parity{service:orders}.ratio == 1', [
      item('catalog', 1, 1),
      item('create order', 0, 0),
    ]);
    expect(old.status).toBe('INCONCLUSIVE');
    expect(old.reason).toContain(
      `step 'create order' of scenario 'shop' was not compared on target — no evidence`,
    );
    // Nothing compared at all: no evidence, with the step's reason.
    const none = judge('parity{service:orders}.ratio == 1', [
      item('create order', 0, 0, { reason: unsentReason }),
    ]);
    expect(none.status).toBe('INCONCLUSIVE');
    expect(none.reason).toContain(
      `0 responses compared: step 'create order' of scenario 'shop' ${unsentReason}`,
    );
    // A difference elsewhere is still a failure: missing evidence cannot hide one.
    expect(
      judge('parity{service:orders}.ratio == 1', [
        item('catalog', 1, 0),
        item('create order', 0, 0, { reason: unsentReason }),
      ]).verdict,
    ).toBe('NO-GO');
  });

  it("integration checks: the service's coverage keeps its criteria from passing, not other services'", () => {
    const checks = [
      check('target', 'accounts', 'open session', 'pass'),
      check('target', 'orders', 'list catalog', 'pass'),
      check('target', 'orders', 'create order', 'skip'),
    ];
    const partial = `step 'create order' of scenario 'shop' ${unsentReason} — no evidence`;
    const evidence = [serviceCoverage('accounts', 1, 1), serviceCoverage('orders', 1, 2, partial)];
    const orders = judge('integration{service:orders}.failed == 0', evidence, checks);
    expect(orders.verdict).toBe('INCONCLUSIVE');
    expect(orders.reason).toContain(`integration:orders coverage is partial: ${partial}`);
    expect(judge('integration{wave:shop}.failed == 0', evidence, checks).status).toBe('INCONCLUSIVE');
    // A criterion that names no service is held to every service's coverage: fail-closed.
    expect(judge('integration.failed == 0', evidence, checks).status).toBe('INCONCLUSIVE');
    // The accounts service sent everything it planned: its own criterion is decided.
    expect(judge('integration{service:accounts}.failed == 0', evidence, checks).verdict).toBe('GO');
    // The same checks with orders' steps all sent: a PASS.
    expect(
      judge('integration{service:orders}.failed == 0', [serviceCoverage('orders', 2, 2)], checks.slice(0, 2))
        .verdict,
    ).toBe('GO');
    // The parity criterion of the service reads the same coverage.
    expect(judge('parity{service:orders}.ratio == 1', [item('catalog', 1, 1), ...evidence]).reason).toContain(
      'integration:orders coverage is partial',
    );
  });
});
