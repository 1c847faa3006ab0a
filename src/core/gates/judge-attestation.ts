// Sign-offs for manual steps (cutover rehearsal done, documentation updated): a named person, a date, a
// note. Missing, expired, undated or dated in the future is not a pass.
import { formatAge, type GateInput } from './input.js';
import type { Judgement } from './outcome.js';
import type { AttestationCriterion, ParsedCriterion } from './parse.js';

const RULE =
  'PASS when a sign-off file names a person, is dated, and is younger than the maximum age and not expired';

export function judgeAttestation(c: ParsedCriterion, input: GateInput): Judgement {
  const { name } = c.rule as AttestationCriterion;
  const found = input.attestations.filter((a) => a.name === name);
  const where = `gates/attestations/${name}.json`;
  // A sign-off's age is its date's: the newest sign-off is the evidence the criterion read.
  const newest = [...found].sort((a, b) => Date.parse(b.date) - Date.parse(a.date))[0];
  const dated = newest && Number.isFinite(Date.parse(newest.date)) ? { evidenceAt: newest.date } : {};
  const out = (status: 'PASS' | 'INCONCLUSIVE', reason: string, missing?: string): Judgement => ({
    groups: [],
    unit: 'sign-off',
    rule: RULE,
    ...dated,
    decided: { status, reason, ...(missing ? { missing } : {}), n: found.length },
  });
  if (found.length === 0)
    return out('INCONCLUSIVE', `no evidence: no sign-off ${where}`, `sign-off ${name} (${where})`);
  const latest = [...found].sort((a, b) => Date.parse(b.date) - Date.parse(a.date))[0]!;
  const t = Date.parse(latest.date);
  const now = input.now.getTime();
  if (!Number.isFinite(t))
    return out(
      'INCONCLUSIVE',
      `sign-off ${name} has no valid date ("${latest.date}")`,
      `a dated sign-off ${name}`,
    );
  if (t > now + 60_000)
    return out(
      'INCONCLUSIVE',
      `sign-off ${name} is dated in the future (${latest.date})`,
      `a valid sign-off ${name}`,
    );
  if (latest.expires && Date.parse(latest.expires) <= now)
    return out(
      'INCONCLUSIVE',
      `sign-off ${name} by ${latest.by} expired on ${latest.expires}`,
      `a current sign-off ${name}`,
    );
  if (now - t > c.maxAgeMs)
    return out(
      'INCONCLUSIVE',
      `sign-off ${name} by ${latest.by} is ${formatAge(now - t)} old; it counts for ${formatAge(c.maxAgeMs)}`,
      `a recent sign-off ${name}`,
    );
  return out('PASS', `signed off by ${latest.by} on ${latest.date}: ${latest.note}`);
}
