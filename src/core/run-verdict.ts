// A run's verdict from its gates and from whether it did all it planned — one rule for `run`, `perf`,
// `demo`, `report` and `gate`:
// - a blocking FAIL in any gate evaluated on the run makes it NO-GO, whoever wrote the gate and whether
//   or not the run is judged by that gate (a failure is a failure even where other evidence is missing);
// - GO needs no FAIL, every gate the run is judged by to be GO, and at least one such gate — the gates
//   named with --gate, or by default those whose criteria the run's suites can serve entirely
//   (GateResult.decides; gates/scope.ts); a gate that also needs backups or a sign-off is shown and its
//   failures count, but it does not hold back a run that was not meant to cover it;
// - a run that did not complete what it planned (interrupted, killed, a suite that stopped) is at best
//   INCONCLUSIVE, and says what is missing.
import type { GateResult, Verdict } from './model.js';

export interface RunJudgement {
  verdict: Verdict;
  /** Why, in one line: the failing gates, what is incomplete, or which gates agreed. */
  reason: string;
}

/** What a record says about its own progress, for `completenessGaps`. */
export interface RunProgress {
  /** `completed`, `interrupted`, `failed`, or `running` (a record whose end was never written). */
  status: string;
  /** Whether the run's end was recorded (a run.json, or a run-end event). */
  ended: boolean;
  /** The suites the run planned, in order; absent in records from before they were recorded. */
  suites?: readonly string[];
  /** Each suite that ran to its end: `completed`, or `failed` with the reason it stopped. */
  suiteEnds?: readonly { suite: string; status: 'completed' | 'failed'; reason?: string }[];
  /** Gaps of the runs this record was judged from (a `cutover gate` record over incomplete runs). */
  inherited?: readonly string[];
}

/** What keeps the run from being complete, one phrase each; empty for a complete run. */
export function completenessGaps(p: RunProgress): string[] {
  const gaps: string[] = [...(p.inherited ?? [])];
  if (!p.ended) gaps.push('the run ended without recording its end (the process was killed?)');
  else if (p.status === 'interrupted') gaps.push('the run was interrupted');
  else if (p.status !== 'completed')
    gaps.push(`the run ${p.status === 'failed' ? 'failed' : 'did not finish'}`);
  const ends = p.suiteEnds ?? [];
  for (const suite of p.suites ?? []) {
    const end = ends.find((e) => e.suite === suite);
    if (!end) gaps.push(`the ${suite} suite did not finish`);
    else if (end.status === 'failed')
      gaps.push(`the ${suite} suite stopped${end.reason ? `: ${end.reason}` : ' with an error'}`);
  }
  return gaps;
}

/** The gates behind a verdict: one with its reasons, or several named and the first one's reasons. */
function gateReasons(gates: readonly GateResult[]): string {
  const [first, ...rest] = gates;
  if (!first) return '';
  if (rest.length === 0) return `gate ${first.id}: ${first.summary}`;
  return `gates ${gates.map((g) => g.id).join(', ')}; gate ${first.id}: ${first.summary}`;
}

export function judgeRun(gates: readonly GateResult[], gaps: readonly string[] = []): RunJudgement {
  const failing = gates.filter((g) => g.verdict === 'NO-GO');
  if (failing.length > 0) return { verdict: 'NO-GO', reason: gateReasons(failing) };
  if (gaps.length > 0)
    return {
      verdict: 'INCONCLUSIVE',
      reason: `the run is incomplete, so its evidence is too: ${gaps.join('; ')}`,
    };
  const judging = gates.filter((g) => g.decides !== false);
  if (judging.length === 0)
    return {
      verdict: 'INCONCLUSIVE',
      reason:
        gates.length === 0
          ? 'no gate was evaluated'
          : "no gate judges this run: each also needs evidence this run's suites do not produce (name one with --gate to be judged by it)",
    };
  if (judging.every((g) => g.verdict === 'GO'))
    return {
      verdict: 'GO',
      reason: `every gate this run is judged by is GO (${judging.map((g) => g.id).join(', ')}), and no gate has a failure`,
    };
  return { verdict: 'INCONCLUSIVE', reason: gateReasons(judging.filter((g) => g.verdict !== 'GO')) };
}
