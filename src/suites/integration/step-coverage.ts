// Which planned steps were sent, per environment and service. A step that was not sent — its captured
// value never came, its setup failed, its scenario stopped or never started — produced no evidence,
// and a skipped check or an uncompared response must not let the rest of its service pass for all of
// it. Each service's coverage says how many of its planned steps were sent and names those that were
// not; the gates' integration and parity criteria of that service (its wave, tier, phase) read it.

import type { CoverageEvidence } from '../../core/evidence.js';
import type { ScenarioSpec } from './define.js';
import type { StepRun } from './pass.js';
import { allSteps } from './plan.js';

export interface UnsentStep {
  environment: string;
  service: string;
  scenario: string;
  step: string;
  /** Why, as a person reads it: `needs {{bookingId}}, which step "create booking" did not capture`. */
  reason: string;
}

/** "step 'create booking' of scenario 'rentguy-bookings' was not sent on target: …" */
export function describeUnsent(u: UnsentStep): string {
  return `step '${u.step}' of scenario '${u.scenario}' was not sent on ${u.environment}: ${u.reason}`;
}

interface Account {
  planned: number;
  sent: number;
  unsent: UnsentStep[];
}

export class StepLedger {
  /** By environment, then service. */
  private readonly accounts = new Map<string, Map<string, Account>>();

  constructor(scenarios: readonly ScenarioSpec[], environments: readonly string[]) {
    for (const environment of environments) {
      const byService = new Map<string, Account>();
      this.accounts.set(environment, byService);
      for (const scenario of scenarios) {
        for (const step of allSteps(scenario)) {
          const service = step.service ?? scenario.service;
          const account = byService.get(service) ?? { planned: 0, sent: 0, unsent: [] };
          account.planned++;
          byService.set(service, account);
        }
      }
    }
  }

  private account(environment: string, service: string): Account {
    // Every step was planned in the constructor; an unknown one is a bug, not a reason to lose a step.
    const account = this.accounts.get(environment)?.get(service);
    if (!account) throw new Error(`step ledger: no plan for ${service} on ${environment}`);
    return account;
  }

  /** One environment's pass through a scenario: each step sent, or not and why. */
  ran(environment: string, scenario: ScenarioSpec, runs: readonly StepRun[]): void {
    for (const run of runs) {
      const account = this.account(environment, run.service);
      if (run.skipped === undefined) account.sent++;
      else
        account.unsent.push({
          environment,
          service: run.service,
          scenario: scenario.name,
          step: run.step.name,
          reason: run.skipped,
        });
    }
  }

  /** A pass that stopped with an error before it could account for its steps: none of them counts. */
  broke(environment: string, scenario: ScenarioSpec, reason: string): void {
    for (const step of allSteps(scenario)) {
      const service = step.service ?? scenario.service;
      this.account(environment, service).unsent.push({
        environment,
        service,
        scenario: scenario.name,
        step: step.name,
        reason,
      });
    }
  }

  /** Every step not sent so far, in the order met. */
  unsent(): UnsentStep[] {
    return [...this.accounts.values()].flatMap((byService) =>
      [...byService.values()].flatMap((a) => a.unsent),
    );
  }

  /** One coverage item per environment and service; steps never accounted for did not start. */
  coverage(at: string): CoverageEvidence[] {
    const out: CoverageEvidence[] = [];
    for (const [environment, byService] of this.accounts) {
      for (const [service, a] of byService) {
        const unstarted = a.planned - a.sent - a.unsent.length;
        const named = a.unsent.slice(0, 2).map((u) => `${describeUnsent(u)} — no evidence`);
        const more = a.unsent.length - named.length;
        const reason =
          a.sent === a.planned
            ? `${a.planned} planned steps of ${service} sent on ${environment}`
            : [
                ...named,
                more > 0 ? `${more} more steps of ${service} not sent on ${environment}` : '',
                unstarted > 0
                  ? `${unstarted} steps of ${service} not run on ${environment}: their scenarios did not start (the run was interrupted)`
                  : '',
              ]
                .filter(Boolean)
                .join('; ');
        out.push({
          kind: 'coverage',
          suite: 'integration',
          environment,
          scope: `integration:${service}`,
          service,
          status: a.sent === a.planned ? 'complete' : a.sent > 0 ? 'partial' : 'could-not-check',
          reason,
          counts: { planned: a.planned, sent: a.sent },
          at,
        });
      }
    }
    return out;
  }
}
