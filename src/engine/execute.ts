// Runs the suites of one run, records every result as it arrives, evaluates the gates, and writes the
// reports. No process access: the caller hands in the clock, the abort signal and the hooks.
import type { ResolvedConfig } from '../config/load.js';
import { evaluateSmokeGate } from '../core/gates/smoke-parity.js';
import type { CheckResult, GateResult, Verdict } from '../core/model.js';
import { writeAll } from '../record/files.js';
import { RunRecorder } from '../record/recorder.js';
import type { RunMeta, RunRecord } from '../record/run-schema.js';
import { renderReportFiles } from '../report/files.js';
import { runSmoke } from '../runners/smoke/run-smoke.js';
import { TOOL_VERSION } from '../version.js';
import { type EnvironmentSelection, planSmoke, selectedEnvironments } from './plan.js';

export interface ExecuteOptions {
  config: ResolvedConfig;
  command: string;
  runId: string;
  selection?: EnvironmentSelection;
  faults?: readonly string[];
  signal?: AbortSignal;
  now?: () => Date;
  nodeVersion: string;
  onStart?: (info: { dir: string; totalChecks: number }) => void;
  onCheck?: (check: CheckResult) => void;
}

export interface ExecuteResult {
  record: RunRecord;
  dir: string;
  verdict: Verdict;
  gates: GateResult[];
  interrupted: boolean;
  reportFiles: string[];
}

export const CHECKS_PER_TARGET = 6;

function metaFor(options: ExecuteOptions, startedAt: Date): RunMeta {
  const { config } = options;
  const envs = selectedEnvironments(config, options.selection);
  return {
    id: options.runId,
    command: options.command,
    startedAt: startedAt.toISOString(),
    tool: { name: 'cutover', version: TOOL_VERSION, node: options.nodeVersion },
    config: { file: config.configFile, project: config.project },
    environments: envs.map((name) => ({
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
    faults: [...(options.faults ?? [])],
  };
}

/** The gates a run can evaluate from its own evidence. */
export function evaluateGates(record: Pick<RunRecord, 'checks' | 'environments' | 'services'>): GateResult[] {
  const env = (name: string) => record.environments.find((e) => e.name === name);
  const baseline = env('baseline');
  const target = env('target');
  if (!baseline || !target) return [];
  return [
    evaluateSmokeGate({
      checks: record.checks,
      services: record.services.map((s) => s.id),
      baseline: { name: baseline.name, services: baseline.services.map((s) => s.id) },
      target: { name: target.name, services: target.services.map((s) => s.id) },
    }),
  ];
}

/** The run's verdict: the gates', fail-closed; no gate at all proves nothing. */
export function overallVerdict(gates: readonly GateResult[]): Verdict {
  if (gates.length === 0) return 'INCONCLUSIVE';
  if (gates.some((g) => g.verdict === 'NO-GO')) return 'NO-GO';
  if (gates.every((g) => g.verdict === 'GO')) return 'GO';
  return 'INCONCLUSIVE';
}

export async function execute(options: ExecuteOptions): Promise<ExecuteResult> {
  const now = options.now ?? (() => new Date());
  const targets = planSmoke(options.config, options.selection);
  const recorder = RunRecorder.start(options.config.reportsPath, metaFor(options, now()));
  options.onStart?.({ dir: recorder.dir, totalChecks: targets.length * CHECKS_PER_TARGET });

  await runSmoke(targets, options.config.smoke, {
    now,
    ...(options.signal ? { signal: options.signal } : {}),
    onCheck: (check) => {
      recorder.check(check);
      options.onCheck?.(check);
    },
  });

  const interrupted = options.signal?.aborted ?? false;
  const gates = evaluateGates(recorder.snapshot);
  for (const gate of gates) recorder.gate(gate);
  const verdict = overallVerdict(gates);
  const record = recorder.finish(interrupted ? 'interrupted' : 'completed', now(), verdict);
  const reportFiles = writeAll(recorder.dir, renderReportFiles(record));
  return { record, dir: recorder.dir, verdict, gates, interrupted, reportFiles };
}
