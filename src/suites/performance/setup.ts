// A performance scenario's setup and teardown (k6's setup() and teardown()), run by Cutover once per
// environment: the setup before the warm-up and the blocks, the teardown after the last block (also after
// a failure or Ctrl-C). Steps go through the integration suite's step runner — its request client
// (deadline, body cap, redirects only to hosts the config names, TLS as the environment says),
// expectations and captures — so they are neither timed nor counted in the load's metrics. Every engine
// gets the values from here: the embedded engine in its slices, k6 and the k6-operator through
// CUTOVER_SETUP_DATA, so the setup runs once per environment, not once per block or runner.
import { setTimeout as sleep } from 'node:timers/promises';
import type { SetupStep } from '../../core/load/scenario.js';
import type { CheckResult } from '../../core/model.js';
import { isSecretName, Redactor } from '../../runners/auth/redact.js';
import type { ScenarioSpec } from '../integration/define.js';
import { cleanupContext, type PassContext, runStep, type StepRun } from '../integration/pass.js';
import type { SuiteContext } from '../suite.js';
import { SUITE } from './evidence.js';
import type { EnvTarget, LoadPlan, PlannedScenario } from './plan.js';

/** How one environment's setup or teardown went. */
export interface PhaseOutcome {
  /** `runId` and every value captured so far. */
  vars: Record<string, string>;
  /** Teardown steps not sent for want of a value the setup never captured: nothing to clean up. */
  nothingToDo: number;
  /** Each step that failed, with its reason (redacted). */
  failures: Array<{ step: string; reason: string }>;
  interrupted: boolean;
}

/** Why a step run did not succeed, or undefined when it did. */
function stepFailure(run: StepRun): string | undefined {
  if (run.skipped !== undefined) return `not sent: ${run.skipped}`;
  if (run.failure !== undefined) return run.failure;
  if (run.problems.length > 0) return run.problems.join('; ');
  return undefined;
}

/** Steps need no auth profile (a setup step cannot name one); this broker is never asked for a token. */
const NO_TOKENS: PassContext['tokens'] = {
  bearer: async () => ({ ok: false, reason: 'auth profiles are not available to performance setup steps' }),
};

export class ScenarioSetups {
  private readonly redactor = new Redactor();
  /** Per scenario and environment, what its setup captured (also after a setup that failed half-way). */
  private readonly ran = new Map<
    PlannedScenario,
    Map<string, { target: EnvTarget; vars: Record<string, string> }>
  >();

  constructor(
    private readonly plan: LoadPlan,
    private readonly ctx: SuiteContext,
  ) {}

  private passContext(planned: PlannedScenario, environment: string, target: EnvTarget): PassContext {
    const { config } = this.ctx;
    const settings = config.integration;
    return {
      environment,
      services: { [planned.module.scenario.service]: target.baseUrl },
      runId: this.ctx.runId,
      env: planned.env,
      redactor: this.redactor,
      tokens: NO_TOKENS,
      http: {
        maxBodyBytes: settings.maxBodyBytes,
        maxRedirects: settings.maxRedirects,
        pins: target.pins,
        insecure: target.insecure,
        ...(target.ca ? { ca: target.ca } : {}),
        // The same hosts the integration suite may be redirected to: those the config names.
        allowedOrigins: new Set(
          Object.values(config.environments).flatMap((e) =>
            Object.values(e.services).map((s) => new URL(s.url).origin),
          ),
        ),
        ...(this.ctx.signal ? { signal: this.ctx.signal } : {}),
      },
      timeoutMs: this.plan.timeoutMs,
      retries: settings.retries,
      sleep: (ms) =>
        sleep(ms, undefined, this.ctx.signal ? { signal: this.ctx.signal } : {}).catch(() => undefined),
    };
  }

  /** Runs steps in order; a setup stops at its first failure, a teardown tries every step. */
  private async runSteps(
    phase: 'setup' | 'teardown',
    planned: PlannedScenario,
    environment: string,
    target: EnvTarget,
    steps: readonly SetupStep[],
    vars: Record<string, string>,
  ): Promise<PhaseOutcome> {
    const s = planned.module.scenario;
    const spec: ScenarioSpec = { name: s.name, service: s.service, steps: [] };
    const outcome: PhaseOutcome = { vars, nothingToDo: 0, failures: [], interrupted: false };
    for (const step of steps) {
      const interrupted = this.ctx.signal?.aborted === true;
      if (interrupted && phase === 'setup') {
        outcome.interrupted = true;
        break;
      }
      // After Ctrl-C the teardown still runs, briefly and no longer tied to the interrupted signal.
      const base = this.passContext(planned, environment, target);
      const run = await runStep(spec, step, phase, vars, interrupted ? cleanupContext(base) : base);
      for (const [name, value] of Object.entries(run.captured)) {
        // A captured token is a secret like any other: it is never written anywhere.
        if (isSecretName(name)) this.redactor.add(value);
        vars[name] = value;
      }
      const failure = stepFailure(run);
      // A teardown step that needs a value the setup never captured has nothing to clean up.
      if (phase === 'teardown' && run.skipped !== undefined && !run.unconfigured) {
        outcome.nothingToDo++;
        continue;
      }
      if (failure) {
        if (phase === 'setup' && this.ctx.signal?.aborted) {
          outcome.interrupted = true;
          break;
        }
        outcome.failures.push({ step: step.name, reason: this.redactor.text(failure) });
        if (phase === 'setup') break;
      }
    }
    return outcome;
  }

  private check(
    planned: PlannedScenario,
    environment: string,
    phase: string,
    status: CheckResult['status'],
    reason: string,
    data: CheckResult['data'],
  ): void {
    const s = planned.module.scenario;
    this.ctx.check({
      suite: SUITE,
      environment,
      service: s.service,
      check: `${s.name}: ${phase}`,
      status,
      reason,
      data: { scenario: s.name, ...data },
      at: this.ctx.now().toISOString(),
    });
  }

  /**
   * Runs every scenario's setup in every environment it loads, side by side. Each target gets its
   * values (`runId` and the captures); a scenario whose setup fails is taken off that environment and
   * recorded: a failed check and coverage `could-not-check` with the reason.
   */
  async setUp(): Promise<void> {
    const jobs = this.plan.scenarios.flatMap((planned) =>
      Object.entries(planned.targets).map(([environment, target]) => ({ planned, environment, target })),
    );
    await Promise.all(
      jobs.map(async ({ planned, environment, target }) => {
        const s = planned.module.scenario;
        const vars: Record<string, string> = { runId: this.ctx.runId };
        const byEnv = this.ran.get(planned) ?? new Map();
        this.ran.set(planned, byEnv);
        byEnv.set(environment, { target, vars });
        const steps = s.setup ?? [];
        if (steps.length === 0) {
          target.vars = vars;
          return;
        }
        const outcome = await this.runSteps('setup', planned, environment, target, steps, vars);
        const captured = Object.keys(vars).filter((k) => k !== 'runId');
        if (outcome.failures.length === 0 && !outcome.interrupted) {
          target.vars = vars;
          this.check(
            planned,
            environment,
            'setup',
            'pass',
            `${steps.length} setup step${steps.length === 1 ? '' : 's'} answered as expected${captured.length > 0 ? `; captured ${captured.join(', ')}` : ''}`,
            { steps: steps.length },
          );
          return;
        }
        delete planned.targets[environment];
        const reason = outcome.interrupted
          ? 'the run was interrupted during the setup'
          : `setup step "${outcome.failures[0]!.step}" failed: ${outcome.failures[0]!.reason}`;
        if (!outcome.interrupted)
          this.check(planned, environment, 'setup', 'fail', reason, { steps: steps.length });
        this.ctx.evidence({
          kind: 'coverage',
          suite: SUITE,
          environment,
          scope: s.name,
          status: 'could-not-check',
          reason: `not run: ${reason}`,
          at: this.ctx.now().toISOString(),
        });
        // A failed setup is a failed check, which the progress view shows; an interrupted one is said here.
        if (outcome.interrupted) this.ctx.log(`performance: ${s.name} not run on ${environment}: ${reason}`);
      }),
    );
  }

  /** Runs every scenario's teardown wherever its setup ran (whether or not the setup succeeded). */
  async tearDown(): Promise<void> {
    const jobs = [...this.ran].flatMap(([planned, byEnv]) =>
      planned.module.scenario.teardown?.length
        ? [...byEnv].map(([environment, { target, vars }]) => ({ planned, environment, target, vars }))
        : [],
    );
    await Promise.all(
      jobs.map(async ({ planned, environment, target, vars }) => {
        const steps = planned.module.scenario.teardown!;
        const outcome = await this.runSteps('teardown', planned, environment, target, steps, vars);
        const failed = outcome.failures;
        const answered = steps.length - failed.length - outcome.nothingToDo;
        const idle = `${outcome.nothingToDo} not sent, as the setup captured nothing for ${outcome.nothingToDo === 1 ? 'it' : 'them'} to clean up`;
        const [status, reason]: [CheckResult['status'], string] =
          failed.length > 0
            ? ['fail', failed.map((f) => `teardown step "${f.step}" failed: ${f.reason}`).join('; ')]
            : answered === 0
              ? ['skip', `nothing to clean up: ${idle}`]
              : [
                  'pass',
                  `${answered} teardown step${answered === 1 ? '' : 's'} answered as expected${outcome.nothingToDo > 0 ? `; ${idle}` : ''}`,
                ];
        this.check(planned, environment, 'teardown', status, reason, { steps: steps.length });
        if (failed.length > 0)
          this.ctx.log(`performance: ${planned.module.scenario.name} on ${environment}: ${reason}`);
      }),
    );
  }
}
