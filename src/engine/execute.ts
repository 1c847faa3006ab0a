// Runs the selected suites of one run: every suite plans first (a mistake the user must fix stops the
// command before anything is sent or recorded), then each runs its plan, recording every result as it
// arrives; then the gates. No process access: the caller hands in the clock, the abort signal and the
// hooks, and renders the reports (src/report) from the record this returns.
import type { ResolvedConfig } from '../config/load.js';
import type { Evidence } from '../core/evidence.js';
import type { FaultSpec } from '../core/faults.js';
import type { CheckResult, GateResult, Verdict } from '../core/model.js';
import { RunRecorder } from '../record/recorder.js';
import type { RunMeta, RunRecord, SuiteEnd } from '../record/run-schema.js';
import { type EnvironmentSelection, selectedEnvironments, selectedServices } from '../suites/selection.js';
import type { Suite, SuiteContext, SuiteOptions, SuitePlanContext } from '../suites/suite.js';
import { TOOL_VERSION } from '../version.js';
import { builtinSetup } from './gate-loader.js';
import { evaluateGates, type GateSetup, judgeRecord } from './gates.js';
import { loadSuites, type SuiteEntry, selectSuites } from './suites.js';

export interface ExecuteOptions {
  config: ResolvedConfig;
  command: string;
  runId: string;
  selection?: EnvironmentSelection & { suites?: readonly string[] };
  faults?: readonly FaultSpec[];
  signal?: AbortSignal;
  now?: () => Date;
  nodeVersion: string;
  env?: Readonly<Record<string, string | undefined>>;
  suiteOptions?: SuiteOptions;
  /** The suites a run may select; SUITES (suites.ts) unless a caller adds its own (the recipe's test). */
  registry?: readonly SuiteEntry[];
  /** Gate definitions, sign-offs and waivers (gate-loader.ts); the built-in gates when absent. */
  gates?: GateSetup;
  onStart?: (info: { dir: string; totalChecks: number; suites: string[] }) => void;
  onCheck?: (check: CheckResult) => void;
  onLog?: (line: string) => void;
}

export interface ExecuteResult {
  record: RunRecord;
  dir: string;
  verdict: Verdict;
  gates: GateResult[];
  interrupted: boolean;
}

function metaFor(
  options: ExecuteOptions,
  environments: string[],
  suites: readonly string[],
  startedAt: Date,
): RunMeta {
  const { config } = options;
  return {
    id: options.runId,
    command: options.command,
    startedAt: startedAt.toISOString(),
    tool: { name: 'cutover', version: TOOL_VERSION, node: options.nodeVersion },
    config: { file: config.configFile, project: config.project },
    environments: environments.map((name) => ({
      name,
      kind: config.environments[name]!.kind,
      services: Object.entries(config.environments[name]!.services).map(([id, s]) => ({ id, url: s.url })),
    })),
    services: Object.entries(config.services).map(([id, s]) => ({
      id,
      tier: s.tier,
      phase: s.phase,
      ...(s.wave ? { wave: s.wave } : {}),
    })),
    faults: (options.faults ?? []).map((f) => f.source),
    suites: [...suites],
  };
}

/** Runs one suite; says how it ended (undefined when the run was interrupted inside it). */
async function runSuite(suite: Suite, ctx: SuiteContext, plan: unknown): Promise<SuiteEnd | undefined> {
  const end = (status: SuiteEnd['status'], reason?: string): SuiteEnd | undefined =>
    ctx.signal?.aborted
      ? undefined
      : { suite: suite.id, status, ...(reason ? { reason } : {}), at: ctx.now().toISOString() };
  try {
    await suite.run(ctx, plan);
    return end('completed');
  } catch (error) {
    if (ctx.signal?.aborted) return undefined;
    // A suite that throws has a bug or met something it did not expect: record it, never lose the run.
    const reason = `the ${suite.id} suite stopped with an error: ${error instanceof Error ? error.message : String(error)}`;
    for (const environment of ctx.environments) {
      ctx.evidence({
        kind: 'coverage',
        suite: suite.id,
        environment,
        scope: suite.id,
        status: 'could-not-check',
        reason,
        at: ctx.now().toISOString(),
      });
    }
    ctx.log(reason);
    return end('failed', reason);
  }
}

export async function execute(options: ExecuteOptions): Promise<ExecuteResult> {
  const now = options.now ?? (() => new Date());
  const selection = options.selection ?? {};
  const environments = selectedEnvironments(options.config, selection);
  const services = selectedServices(options.config, selection);
  const suites = await loadSuites(selectSuites(selection.suites, options.registry));
  const planning: SuitePlanContext = {
    config: options.config,
    environments,
    services,
    runId: options.runId,
    now,
    ...(options.signal ? { signal: options.signal } : {}),
    faults: options.faults ?? [],
    env: options.env ?? {},
    options: options.suiteOptions ?? {},
    log: (line: string) => options.onLog?.(line),
  };
  // Every suite plans before any suite sends a request: a mistake in a file stops the command here
  // (exit 2), not after the smoke suite has already run, and leaves no run behind.
  const plans: unknown[] = [];
  for (const suite of suites) plans.push(await suite.plan(planning));
  const meta = metaFor(
    options,
    environments,
    suites.map((s) => s.id),
    now(),
  );
  for (const [i, suite] of suites.entries()) Object.assign(meta.tool, suite.tools?.(plans[i]));
  const recorder = RunRecorder.start(options.config.reportsPath, meta);
  const ctx: SuiteContext = {
    ...planning,
    runDir: recorder.dir,
    check: (check: CheckResult) => {
      recorder.check(check);
      options.onCheck?.(check);
    },
    evidence: (item: Evidence) => recorder.evidence(item),
    seriesPoint: (key, point) => recorder.seriesPoint(key, point),
  };
  const totalChecks = suites.reduce((n, s, i) => n + s.plannedChecks(plans[i], planning), 0);
  options.onStart?.({ dir: recorder.dir, totalChecks, suites: suites.map((s) => s.id) });

  for (const [i, suite] of suites.entries()) {
    if (options.signal?.aborted) break;
    const end = await runSuite(suite, ctx, plans[i]);
    if (end) recorder.suiteEnd(end);
  }

  const interrupted = options.signal?.aborted ?? false;
  const gates = evaluateGates(recorder.snapshot, now(), options.gates ?? (await builtinSetup()));
  for (const gate of gates) recorder.gate(gate);
  const status = interrupted ? 'interrupted' : 'completed';
  const { verdict, reason } = judgeRecord({ ...recorder.snapshot, status, finishedAt: 'now' });
  const record = recorder.finish(status, now(), verdict, reason);
  return { record, dir: recorder.dir, verdict, gates, interrupted };
}
