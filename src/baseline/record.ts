// Builds a baseline from a run record, purely: the baseline environment's metrics, coverage and
// integration check results, the scenario set and load profile, and the integration noise learned.
// Secrets never pass: check data keys that look like credentials are dropped; noise is paths only.
import type { CoverageEvidence, Evidence, ParityEvidence } from '../core/evidence.js';
import { METRIC_SUITE } from '../core/gates/scope.js';
import type { CheckResult } from '../core/model.js';
import { anyIndexOf } from '../core/parity/path.js';
import type { RunRecord } from '../record/run-schema.js';
import { BASELINE_SCHEMA, type Baseline, type StepNoise } from './format.js';

const SECRET_KEY = /token|password|passwd|secret|cookie|authorization|api[-_]?key|session/i;

export function scenariosOf(evidence: readonly Evidence[], environment: string): string[] {
  const names = new Set<string>();
  for (const e of evidence) {
    if (e.environment !== environment) continue;
    if (e.kind === 'metric' && e.suite === METRIC_SUITE && e.tags.scenario) names.add(e.tags.scenario);
  }
  return [...names].sort();
}

export function profileOf(
  evidence: readonly Evidence[],
  environment: string,
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const e of evidence) {
    if (e.kind === 'coverage' && e.suite === 'performance' && e.environment === environment && e.counts)
      out[(e as CoverageEvidence).scope] = { ...e.counts };
  }
  return out;
}

function withoutSecrets(check: CheckResult): CheckResult {
  if (!check.data) return check;
  const data = Object.fromEntries(Object.entries(check.data).filter(([k]) => !SECRET_KEY.test(k)));
  return { ...check, data };
}

/** Difference kinds an A/A run can teach as noise: a value (then compared by format) or an order. */
const LEARNABLE = new Set(['value', 'header', 'order']);

export interface LearnedFromRun {
  noise: StepNoise[];
  /** A/A differences of other kinds (a field that came and went, a status): not learnable, by path. */
  unlearnable: string[];
}

/**
 * The integration noise a run learned about `environment` as baseline, per step: the noise of its
 * parity items and, when the run compared two copies of the same system (`aa`), their differences
 * too: there a difference can only be noise the baseline's own reads did not catch.
 */
export function noiseFromRun(record: RunRecord, environment: string, aa: boolean): LearnedFromRun {
  const byStep = new Map<string, StepNoise>();
  const unlearnable = new Set<string>();
  const items = record.evidence.filter(
    (e): e is ParityEvidence => e.kind === 'parity' && e.baseline === environment && e.compared > 0,
  );
  for (const e of items) {
    const paths = [...(e.learnedNoise ?? [])];
    if (aa) {
      const statusDiffers = e.differences.some((d) => d.kind === 'status');
      for (const d of e.differences) {
        if (!statusDiffers && LEARNABLE.has(d.kind)) paths.push(anyIndexOf(d.path));
        else unlearnable.add(`${e.scenario} › ${e.step}: ${d.path} (${d.kind})`);
      }
    }
    const step = byStep.get(`${e.scenario}\u0000${e.step}`) ?? {
      scenario: e.scenario,
      step: e.step,
      paths: [],
    };
    step.paths = [...new Set([...step.paths, ...paths])];
    byStep.set(`${e.scenario}\u0000${e.step}`, step);
  }
  return { noise: [...byStep.values()].filter((s) => s.paths.length > 0), unlearnable: [...unlearnable] };
}

/** Noise learned earlier and now, merged step by step: what a baseline has once learned, it keeps. */
export function mergeNoise(...lists: ReadonlyArray<readonly StepNoise[]>): StepNoise[] {
  const byStep = new Map<string, StepNoise>();
  for (const n of lists.flat()) {
    const k = `${n.scenario}\u0000${n.step}`;
    const paths = [...(byStep.get(k)?.paths ?? []), ...n.paths];
    byStep.set(k, { scenario: n.scenario, step: n.step, paths: [...new Set(paths)].sort() });
  }
  return [...byStep.values()];
}

export function baselineFromRun(
  record: RunRecord,
  name: string,
  now: Date,
  environment = 'baseline',
  noise: StepNoise[] = [],
): Baseline {
  // The load engines' figures only: a post-cutover watch in the same run records production traffic
  // under the same metric names, which is no baseline for a load test (its hourly figures are kept
  // apart, in `traffic`).
  const evidence = record.evidence.filter(
    (e) =>
      e.environment === environment &&
      e.suite === METRIC_SUITE &&
      (e.kind === 'metric' || e.kind === 'coverage'),
  );
  return {
    schema: BASELINE_SCHEMA,
    name,
    recordedAt: now.toISOString(),
    fromRun: record.id,
    runStartedAt: record.startedAt,
    tool: record.tool,
    config: { project: record.config.project, file: record.config.file },
    environment,
    scenarios: scenariosOf(record.evidence, environment),
    profile: profileOf(record.evidence, environment),
    evidence,
    checks: record.checks
      .filter((c) => c.environment === environment && c.suite !== 'smoke')
      .map(withoutSecrets),
    noise,
  };
}
