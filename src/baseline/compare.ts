// Whether a recorded baseline and the target's runs are comparable: the same scenarios and the same
// load profile. A comparison of a 50-VU target with a 10-VU baseline says nothing, so relative criteria
// are then INCONCLUSIVE with this reason rather than judged.
import type { Evidence } from '../core/evidence.js';
import type { Baseline } from './format.js';
import { profileOf, scenariosOf } from './record.js';

export function incomparability(
  baseline: Baseline,
  targetEvidence: readonly Evidence[],
  target = 'target',
): string | undefined {
  const scenarios = scenariosOf(targetEvidence, target);
  const missing = baseline.scenarios.filter((s) => !scenarios.includes(s));
  const extra = scenarios.filter((s) => !baseline.scenarios.includes(s));
  if (scenarios.length > 0 && (missing.length || extra.length))
    return `scenarios differ from baseline "${baseline.name}": ${missing.length ? `missing on the target ${missing.join(', ')}` : ''}${missing.length && extra.length ? '; ' : ''}${extra.length ? `not in the baseline ${extra.join(', ')}` : ''}`;
  const profile = profileOf(targetEvidence, target);
  for (const [scope, counts] of Object.entries(baseline.profile)) {
    const other = profile[scope];
    if (!other) continue;
    const diff = Object.keys(counts).filter((k) => other[k] !== undefined && other[k] !== counts[k]);
    if (diff.length)
      return `load profile differs from baseline "${baseline.name}" in ${scope}: ${diff.map((k) => `${k} ${counts[k]} vs ${other[k]}`).join(', ')}`;
  }
  return undefined;
}
