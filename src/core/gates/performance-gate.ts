// The performance suite's own gate, as the smoke suite has smoke parity: every endpoint measured is no
// slower and fails no more often on the target than on the baseline, and the scenarios' thresholds hold.
// It is the tool's, not a phase's: it is evaluated whenever a run has performance evidence, whatever
// gates a project keeps, so `cutover perf` is judged by what it measured (a healthy A/A run is GO, a clear
// regression NO-GO) rather than held at INCONCLUSIVE by phase gates that also need smoke, parity and
// posture. The limits are the phase-3 wave gates' (gates/wave.ts explains the 10 ms slack and why the
// median decides while the p(95) warns); phase 4 holds the whole platform to tighter ones.
import type { GateSpec } from './define.js';
import { type ParsedGate, parseGate } from './parse.js';

export const PERFORMANCE_GATE_ID = 'performance';

export const PERFORMANCE_GATE: GateSpec = {
  id: PERFORMANCE_GATE_ID,
  // Not a phase gate: parsed with a phase for validation, reported without one (evaluate.ts).
  phase: 0,
  title: 'Performance parity: every measured endpoint as fast and as reliable as on the baseline',
  criteria: [
    {
      id: 'median',
      title: 'Median latency per endpoint no more than 10 % (+10 ms) above the baseline',
      serves: 2,
      expr: 'http_req_duration: med <= baseline * 1.10 + 10ms',
    },
    {
      id: 'p95',
      title: 'p(95) latency per endpoint no more than 10 % (+10 ms) above the baseline',
      serves: 2,
      blocking: false,
      expr: 'http_req_duration: p(95) <= baseline * 1.10 + 10ms',
    },
    {
      id: 'errors',
      title: 'Error rate per endpoint no more than 2 points above the baseline',
      serves: 2,
      expr: 'http_req_failed: rate <= baseline + 0.02',
    },
    {
      id: 'checks',
      title: 'Each scenario check holds no less often than on the baseline (2 points)',
      serves: 3,
      blocking: false,
      expr: 'checks: rate >= baseline - 0.02',
    },
    {
      id: 'dropped',
      title: 'The target kept up with the planned load (no dropped iterations)',
      serves: 2,
      blocking: false,
      expr: 'dropped_iterations: count == 0',
    },
  ],
};

let parsed: ParsedGate | undefined;

/** The performance gate, parsed once (it is part of the tool and tested to parse). */
export function performanceGate(): ParsedGate {
  parsed ??= { ...parseGate({ ...PERFORMANCE_GATE, phase: 2 }), spec: PERFORMANCE_GATE };
  return parsed;
}
