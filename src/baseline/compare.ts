// Whether a recorded baseline and the target's runs are comparable: the same scenarios, the same
// endpoints within them, and the same load plan. A comparison of a 50-VU target with a 10-VU
// baseline says nothing, so relative criteria are then INCONCLUSIVE with this reason rather than judged.
import type { Evidence } from '../core/evidence.js';
import { METRIC_SUITE } from '../core/gates/scope.js';
import type { Baseline } from './format.js';
import { profileOf, scenariosOf } from './record.js';

/**
 * Coverage counts that describe the load plan (k6 option names and the embedded engine's), as opposed
 * to outcomes such as iterations done or requests answered, which differ between any two runs.
 */
export const PLAN_KEYS = [
  'vus',
  'maxVUs',
  'preAllocatedVUs',
  'rate',
  'timeUnitMs',
  'durationMs',
  'duration',
  'blocks',
  'scale',
  'stages',
];

function seriesOf(evidence: readonly Evidence[], environment: string): Set<string> {
  const out = new Set<string>();
  for (const e of evidence)
    if (
      e.kind === 'metric' &&
      e.suite === METRIC_SUITE &&
      e.name === 'http_req_duration' &&
      e.environment === environment
    )
      out.add([e.tags.scenario, e.tags.service, e.tags.endpoint].filter(Boolean).join(' · '));
  return out;
}

function listed(items: readonly string[]): string {
  return items.length > 3 ? `${items.slice(0, 3).join(', ')} and ${items.length - 3} more` : items.join(', ');
}

export function incomparability(
  baseline: Baseline,
  targetEvidence: readonly Evidence[],
  target = 'target',
): string | undefined {
  const scenarios = scenariosOf(targetEvidence, target);
  const missing = baseline.scenarios.filter((s) => !scenarios.includes(s));
  const extra = scenarios.filter((s) => !baseline.scenarios.includes(s));
  if (scenarios.length > 0 && (missing.length || extra.length))
    return `scenarios differ from baseline "${baseline.name}": ${[missing.length ? `missing on the target ${listed(missing)}` : '', extra.length ? `not in the baseline ${listed(extra)}` : ''].filter(Boolean).join('; ')}`;
  const mine = seriesOf(targetEvidence, target);
  const theirs = seriesOf(baseline.evidence, baseline.environment);
  if (mine.size > 0) {
    const notThere = [...theirs].filter((s) => !mine.has(s));
    const notHere = [...mine].filter((s) => !theirs.has(s));
    if (notThere.length || notHere.length)
      return `endpoints differ from baseline "${baseline.name}": ${[notThere.length ? `not measured on the target ${listed(notThere)}` : '', notHere.length ? `not in the baseline ${listed(notHere)}` : ''].filter(Boolean).join('; ')}`;
  }
  const profile = profileOf(targetEvidence, target);
  for (const [scope, counts] of Object.entries(baseline.profile)) {
    const other = profile[scope];
    if (!other) continue;
    const diff = PLAN_KEYS.filter(
      (k) => counts[k] !== undefined && other[k] !== undefined && counts[k] !== other[k],
    );
    if (diff.length)
      return `load profile differs from baseline "${baseline.name}" in ${scope}: ${diff.map((k) => `${k} ${counts[k]} vs ${other[k]}`).join(', ')}`;
  }
  return undefined;
}
