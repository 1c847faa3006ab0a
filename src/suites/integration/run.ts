// The integration suite: every scenario on the baseline several times (the passes after the first are
// Diffy's noise reference) and on every other selected environment once, each environment following its
// own captured values; then a check per step per environment and a parity comparison per step per target.
// A scenario failing in one environment, or throwing, never stops the others.
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import { type EnvironmentAccess, TokenBroker } from '../../runners/auth/oidc.js';
import { Redactor } from '../../runners/auth/redact.js';
import type { Suite, SuiteContext } from '../suite.js';
import type { ScenarioSpec } from './define.js';
import { checkFor, learnedNoise, parityFor, parityNotRun } from './evidence.js';
import { type PassContext, type PassResult, runPass } from './pass.js';
import { planIntegration, plannedStepCount, type ScenarioSelection, servicesOf } from './plan.js';
import { describeUnsent, StepLedger } from './step-coverage.js';

function accessFor(
  ctx: SuiteContext,
  name: string,
): EnvironmentAccess & { services: Record<string, string> } {
  const env = ctx.config.environments[name]!;
  const services = Object.fromEntries(
    Object.entries(env.services)
      .filter(([id]) => ctx.services.includes(id))
      .map(([id, s]) => [id, s.url]),
  );
  let ca: string | undefined;
  if (env.tls.caFile) {
    try {
      ca = readFileSync(resolve(ctx.config.rootDir, env.tls.caFile), 'utf8');
    } catch {
      // Reported by the smoke suite and doctor; here the requests will fail TLS verification with a reason.
    }
  }
  return { services, pins: env.resolve, insecure: env.tls.insecure, ...(ca ? { ca } : {}) };
}

/** Unsent steps named on the console, one line each; the rest are counted (every one is in the record). */
const UNSENT_LINES = 8;

export const integrationSuite: Suite<ScenarioSelection> = {
  id: 'integration',
  title: 'Integration: the same API flows on baseline and target, responses compared field by field',
  byDefault: true,
  plan: (ctx) => planIntegration(ctx.config),
  plannedChecks: (selection, ctx) => plannedStepCount(selection, ctx.services) * ctx.environments.length,
  run: async (ctx, selection) => {
    const at = () => ctx.now().toISOString();
    for (const problem of selection.problems) ctx.log(`integration: ${problem}`);
    for (const note of selection.notes) ctx.log(`integration: note: ${note}`);
    if (selection.problems.length > 0) {
      for (const environment of ctx.environments) {
        ctx.evidence({
          kind: 'coverage',
          suite: 'integration',
          environment,
          scope: 'scenarios',
          status: 'partial',
          reason: `scenarios that could not be loaded: ${selection.problems.join('; ')}`,
          at: at(),
        });
      }
    }
    const [baselineName, ...targets] = ctx.environments;
    // `--service` narrows the run: a scenario runs only when every service it calls is selected.
    const selected = selection.scenarios.filter(({ scenario }) =>
      servicesOf(scenario).every((id) => ctx.services.includes(id)),
    );
    const narrowed = selection.scenarios.length - selected.length;
    if (selected.length === 0) {
      ctx.log(
        'integration: no scenarios to run (list files under integration.scenarios, or set integration.builtin)',
      );
      return;
    }
    if (!baselineName) return;

    // One child signal for the suite's many concurrent requests (each listens for Ctrl-C), so Node's
    // listener-leak warning, meant for real leaks, stays quiet.
    const aborter = new AbortController();
    setMaxListeners(0, aborter.signal);
    if (ctx.signal?.aborted) aborter.abort();
    ctx.signal?.addEventListener('abort', () => aborter.abort(), { once: true });
    const signal = aborter.signal;
    const redactor = new Redactor();
    // `cutover demo` hands in the simulated realm's demo credentials; they win over the shell's.
    const demoEnv = ctx.options.integration?.env ?? {};
    const env = { ...ctx.env, ...demoEnv };
    const access = Object.fromEntries(ctx.environments.map((e) => [e, accessFor(ctx, e)]));
    const settings = ctx.config.integration;
    const tokens = new TokenBroker(
      ctx.config.auth,
      access,
      env,
      redactor,
      () => ctx.now().getTime(),
      settings.timeoutMs,
    );
    const allowedOrigins = new Set(
      Object.values(ctx.config.environments).flatMap((e) =>
        Object.values(e.services).map((s) => new URL(s.url).origin),
      ),
    );
    const passCtx = (environment: string): PassContext => ({
      environment,
      services: access[environment]!.services,
      runId: ctx.runId,
      env,
      redactor,
      tokens,
      http: {
        maxBodyBytes: settings.maxBodyBytes,
        maxRedirects: settings.maxRedirects,
        pins: access[environment]!.pins,
        insecure: access[environment]!.insecure,
        ...(access[environment]!.ca ? { ca: access[environment]!.ca } : {}),
        allowedOrigins,
        signal,
      },
      timeoutMs: settings.timeoutMs,
      retries: settings.retries,
      sleep: (ms) => sleep(ms, undefined, { signal }).catch(() => undefined),
    });

    const safePass = async (scenario: ScenarioSpec, environment: string): Promise<PassResult | string> => {
      try {
        return await runPass(scenario, passCtx(environment));
      } catch (error) {
        return redactor.text(
          `the scenario stopped with an error: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    };

    // Per environment; `checks` and `steps` (parity items) let a gate notice results lost from the record.
    type Tally = Record<
      'scenarios' | 'broken' | 'passed' | 'failed' | 'skipped' | 'unconfigured' | 'checks' | 'steps',
      number
    >;
    const tally = new Map<string, Tally>();
    const firstGap = new Map<string, string>();
    const ledger = new StepLedger(
      selected.map((s) => s.scenario),
      ctx.environments,
    );
    const empty = (): Tally => ({
      scenarios: 0,
      broken: 0,
      passed: 0,
      failed: 0,
      skipped: 0,
      unconfigured: 0,
      checks: 0,
      steps: 0,
    });
    // The reads of one scenario: the baseline's first beside the targets', then the baseline's others.
    interface Reads {
      scenario: ScenarioSpec;
      first: PassResult | string;
      onTargets: Array<PassResult | string>;
      repeats: Array<PassResult | string>;
      /** When the first baseline pass had read its last answer (performance.now()). */
      firstDoneAt: number;
    }
    const firstReads = async (scenario: ScenarioSpec): Promise<Reads | undefined> => {
      if (ctx.signal?.aborted) return undefined;
      // The first baseline pass and the targets run side by side; the second baseline pass follows, so
      // the baseline's answers to each request are independent of each other.
      const [first, ...onTargets] = await Promise.all(
        [baselineName, ...targets].map((e) => safePass(scenario, e)),
      );
      const firstDoneAt = performance.now();
      const repeats = targets.length > 0 ? [await safePass(scenario, baselineName)] : [];
      for (const [i, environment] of [baselineName, ...targets].entries()) {
        const pass = i === 0 ? first! : onTargets[i - 1]!;
        const t = tally.get(environment) ?? empty();
        tally.set(environment, t);
        t.scenarios++;
        if (typeof pass === 'string') {
          t.broken++;
          ledger.broke(environment, scenario, pass);
          ctx.evidence({
            kind: 'coverage',
            suite: 'integration',
            environment,
            scope: scenario.name,
            status: 'could-not-check',
            reason: pass,
            at: at(),
          });
          continue;
        }
        ledger.ran(environment, scenario, pass.runs);
        for (const run of pass.runs) {
          const check = checkFor(scenario, run, environment, at());
          t[check.status === 'pass' ? 'passed' : check.status === 'fail' ? 'failed' : 'skipped']++;
          t.checks++;
          if (run.unconfigured) {
            t.unconfigured++;
            firstGap.set(environment, firstGap.get(environment) ?? run.skipped ?? '');
          }
          ctx.check(check);
        }
      }
      return { scenario, first: first!, onTargets, repeats, firstDoneAt };
    };
    // Read n (n ≥ 3) starts (n − 2) spacings after the first read ended, so each of its requests comes at
    // least that long after the same request of the first: two back-to-back reads agree on what moves
    // once per cycle (a scrape's duration), a later one does not. Each round runs after the whole previous
    // one, so the suite's own duration counts towards the spacing and only the rest is waited for.
    const spacedRead = async (reads: Reads, n: number) => {
      // Nothing will be compared where the first pass or every target's broke down: no read to spend.
      const comparable =
        typeof reads.first !== 'string' && reads.onTargets.some((t) => typeof t !== 'string');
      if (signal.aborted || !comparable) return;
      const wait = reads.firstDoneAt + (n - 2) * settings.readSpacingMs - performance.now();
      if (wait > 0) await sleep(wait, undefined, { signal }).catch(() => undefined);
      if (!signal.aborted) reads.repeats.push(await safePass(reads.scenario, baselineName));
    };
    const learned = learnedNoise(ctx.options.integration?.learnedNoise);
    const from = ctx.options.integration?.learnedFrom;
    if (from)
      ctx.log(
        `integration: noise learned by baseline ${from}: ${[...learned.values()].flat().length} paths in ${learned.size} steps`,
      );
    const record = (environment: string, items: ReturnType<typeof parityFor>) => {
      const t = tally.get(environment) ?? empty();
      tally.set(environment, t);
      for (const item of items) {
        t.steps++;
        ctx.evidence(item);
      }
    };
    const compare = ({ scenario, first, onTargets, repeats }: Reads) => {
      for (const [i, target] of onTargets.entries()) {
        const name = targets[i]!;
        // A pass that broke down on either side still leaves an item per step to compare: compared 0,
        // with the reason, so the step is missing evidence rather than absent.
        if (typeof first === 'string') {
          record(
            name,
            parityNotRun(scenario, name, baselineName, `was not run on ${baselineName}: ${first}`, at()),
          );
          continue;
        }
        if (typeof target === 'string') {
          record(name, parityNotRun(scenario, name, baselineName, `was not run on ${name}: ${target}`, at()));
          continue;
        }
        record(
          name,
          parityFor({
            scenario,
            baselineName,
            first,
            // A pass that broke down teaches nothing; without any, steps are not compared (and say why).
            repeats: repeats.filter((r): r is PassResult => typeof r !== 'string'),
            brokenRepeats: repeats.filter((r): r is string => typeof r === 'string'),
            target,
            learned,
            baselineServices: access[baselineName]!.services,
            targetServices: access[target.environment]!.services,
            redactor,
            at: at(),
          }),
        );
      }
    };

    const limit = pLimit(settings.concurrency);
    const taken = (
      await Promise.all(selected.map(({ scenario }) => limit(() => firstReads(scenario))))
    ).filter((r): r is Reads => r !== undefined);
    for (let n = 3; n <= settings.baselineReads && targets.length > 0; n++)
      await Promise.all(taken.map((reads) => limit(() => spacedRead(reads, n))));
    for (const reads of taken) compare(reads);
    // Steps not sent are missing evidence: said here, and in each service's coverage, which keeps the
    // integration and parity criteria of that service from passing.
    const unsent = ledger.unsent();
    if (!signal.aborted) {
      for (const u of unsent.slice(0, UNSENT_LINES)) ctx.log(`integration: ${describeUnsent(u)}`);
      if (unsent.length > UNSENT_LINES)
        ctx.log(
          `integration: ${unsent.length - UNSENT_LINES} more steps not sent (every one is in the run record)`,
        );
    }
    for (const item of ledger.coverage(at())) ctx.evidence(item);
    // Whether the suite did its whole job in each environment: a gate must not read silence as a pass.
    for (const environment of ctx.environments) {
      const counts = tally.get(environment) ?? empty();
      const complete =
        counts.broken === 0 &&
        counts.unconfigured === 0 &&
        selection.problems.length === 0 &&
        !signal.aborted;
      ctx.evidence({
        kind: 'coverage',
        suite: 'integration',
        environment,
        scope: 'integration',
        status: complete ? 'complete' : counts.scenarios > counts.broken ? 'partial' : 'could-not-check',
        reason: complete
          ? `${counts.scenarios} scenarios run`
          : [
              signal.aborted ? 'interrupted' : '',
              counts.broken ? `${counts.broken} scenarios stopped with an error` : '',
              counts.unconfigured
                ? `${counts.unconfigured} steps not sent for want of setup (${firstGap.get(environment)})`
                : '',
              selection.problems.length
                ? `${selection.problems.length} scenario problems in the config's files`
                : '',
            ]
              .filter(Boolean)
              .join('; '),
        counts,
        at: at(),
      });
    }
    const skipped = selection.skipped.length;
    ctx.log(
      `integration: ${selected.length} scenarios run${skipped ? `, ${skipped} not applicable to this config` : ''}${narrowed ? `, ${narrowed} outside the selected services` : ''}`,
    );
  },
};
