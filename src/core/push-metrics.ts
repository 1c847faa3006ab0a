// A recorded run's summary as Prometheus samples, for `--push URL` (a Pushgateway): nightly CI jobs
// each run apart, so the migration's history has to live somewhere shared. Pure: the runner
// (runners/pushgateway/) turns these into prom-client gauges in a registry of their own.
//
// A state is encoded as kube-state-metrics does (`kube_pod_status_phase{phase=…}`): one series per
// possible state, 1 for the current one and 0 for the others, so `cutover_gate_verdict{verdict="GO"} == 1`
// selects the GO gates and a state that went away reads 0 rather than vanishing from a graph.
import type { GateResult, Verdict } from './model.js';
import { evidenceStateSchema, successCriteriaEvidence } from './success-criteria.js';

export const VERDICTS: readonly Verdict[] = ['GO', 'NO-GO', 'INCONCLUSIVE'];
export const CRITERION_STATES = ['PASS', 'FAIL', 'INCONCLUSIVE', 'WAIVED'] as const;

export interface PushMetric {
  name: string;
  help: string;
  labelNames: readonly string[];
  samples: { labels: Record<string, string>; value: number }[];
}

/** What a summary is built from: the recorded run's verdict, gates and times. */
export interface PushableRun {
  command: string;
  startedAt: string;
  finishedAt?: string;
  verdict?: Verdict;
  gates: readonly GateResult[];
}

const oneHot = <T extends string>(states: readonly T[], current: T | undefined, label: string) =>
  states.map((s) => ({ labels: { [label]: s }, value: s === current ? 1 : 0 }));

export function pushMetrics(run: PushableRun): PushMetric[] {
  const at = Date.parse(run.finishedAt ?? run.startedAt);
  const gateLabels = (g: GateResult) => ({
    gate: g.id,
    phase: g.phase !== undefined && Number.isFinite(g.phase) ? String(g.phase) : '',
    wave: g.wave ?? '',
  });
  return [
    {
      name: 'cutover_run_timestamp_seconds',
      help: 'When the pushed run finished (Unix seconds): time() minus this is the age of the latest result',
      labelNames: [],
      samples: Number.isFinite(at) ? [{ labels: {}, value: at / 1000 }] : [],
    },
    {
      name: 'cutover_run_verdict',
      help: "The run's verdict: 1 for the current one of GO, NO-GO, INCONCLUSIVE, 0 for the others",
      labelNames: ['verdict'],
      samples: run.verdict ? oneHot(VERDICTS, run.verdict, 'verdict') : [],
    },
    {
      name: 'cutover_gate_verdict',
      help: "Each gate's verdict: 1 for the current one of GO, NO-GO, INCONCLUSIVE, 0 for the others",
      labelNames: ['gate', 'phase', 'wave', 'verdict'],
      samples: run.gates.flatMap((g) =>
        oneHot(VERDICTS, g.verdict, 'verdict').map((s) => ({
          ...s,
          labels: { ...gateLabels(g), ...s.labels },
        })),
      ),
    },
    {
      name: 'cutover_criterion_status',
      help: "Each gate criterion's status: 1 for the current one of PASS, FAIL, INCONCLUSIVE, WAIVED, 0 for the others",
      labelNames: ['gate', 'criterion', 'blocking', 'success_criterion', 'status'],
      samples: run.gates.flatMap((g) =>
        g.criteria.flatMap((c) =>
          oneHot(CRITERION_STATES, c.status, 'status').map((s) => ({
            value: s.value,
            labels: {
              gate: g.id,
              criterion: c.id,
              blocking: String(c.blocking),
              success_criterion: c.successCriterion === undefined ? '' : String(c.successCriterion),
              ...s.labels,
            },
          })),
        ),
      ),
    },
    {
      name: 'cutover_criterion_value',
      help: "Each gate criterion's measured value (in `unit`; ratios as ratios, rates as shares, latencies in ms)",
      labelNames: ['gate', 'criterion', 'unit'],
      samples: run.gates.flatMap((g) =>
        g.criteria.flatMap((c) =>
          typeof c.value === 'number' && Number.isFinite(c.value)
            ? [{ labels: { gate: g.id, criterion: c.id, unit: c.unit ?? '' }, value: c.value }]
            : [],
        ),
      ),
    },
    {
      name: 'cutover_criterion_limit',
      help: "Each gate criterion's limit, in the same unit as cutover_criterion_value",
      labelNames: ['gate', 'criterion', 'unit'],
      samples: run.gates.flatMap((g) =>
        g.criteria.flatMap((c) =>
          typeof c.limit === 'number' && Number.isFinite(c.limit)
            ? [{ labels: { gate: g.id, criterion: c.id, unit: c.unit ?? '' }, value: c.limit }]
            : [],
        ),
      ),
    },
    {
      name: 'cutover_success_criterion_state',
      help: "The migration plan's six success criteria (1-6) by the run's evidence: 1 for the current state, 0 for the others",
      labelNames: ['criterion', 'state'],
      samples: successCriteriaEvidence(run.gates).flatMap((e) =>
        oneHot(evidenceStateSchema.options, e.state, 'state').map((s) => ({
          value: s.value,
          labels: { criterion: String(e.criterion), ...s.labels },
        })),
      ),
    },
  ];
}

/**
 * The grouping key's `selection`: what the run covered, so that nightly jobs pushing to one
 * Pushgateway keep apart (a push replaces its own group's metrics, and only those) — `gate-5`,
 * `run-smoke.integration`, `perf`. Only letters, digits, `.`, `_` and `-`: it goes into the URL's path.
 */
export function pushSelection(command: string, suites: readonly string[] | undefined): string {
  const words = command.trim().split(/\s+/);
  const verb = words[0] ?? 'run';
  const flagValue = (flag: string) => {
    const i = words.indexOf(flag);
    return i >= 0 ? words[i + 1] : undefined;
  };
  const part =
    verb === 'gate'
      ? flagValue('--phase')
      : verb === 'run' || verb === 'demo'
        ? (flagValue('--suite') ?? (suites?.length ? [...suites].sort().join('.') : undefined))
        : undefined;
  const raw = part ? `${verb}-${part.split(',').sort().join('.')}` : verb;
  return raw.replace(/[^A-Za-z0-9._-]/g, '_');
}
