// Builds a baseline from a run record, purely: the baseline environment's metrics, coverage and
// integration check results, the scenario set and load profile. Secrets never pass: check data keys
// that look like credentials are dropped.
import type { CoverageEvidence, Evidence } from '../core/evidence.js';
import type { CheckResult } from '../core/model.js';
import type { RunRecord } from '../record/run-schema.js';
import { BASELINE_SCHEMA, type Baseline } from './format.js';

const SECRET_KEY = /token|password|passwd|secret|cookie|authorization|api[-_]?key|session/i;

export function scenariosOf(evidence: readonly Evidence[], environment: string): string[] {
  const names = new Set<string>();
  for (const e of evidence) {
    if (e.environment !== environment) continue;
    if (e.kind === 'metric' && e.tags.scenario) names.add(e.tags.scenario);
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

export function baselineFromRun(
  record: RunRecord,
  name: string,
  now: Date,
  environment = 'baseline',
): Baseline {
  const evidence = record.evidence.filter(
    (e) =>
      e.environment === environment &&
      (e.kind === 'metric' || (e.kind === 'coverage' && e.suite === 'performance')),
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
  };
}
