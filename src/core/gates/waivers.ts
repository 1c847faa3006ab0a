// Waivers: a named owner accepts a FAIL or INCONCLUSIVE criterion for a reason, until a date. An
// expired waiver no longer applies and the report says so; a PASS is never touched.
import type { CriterionResult } from '../model.js';
import type { Waiver } from './input.js';

export function applyWaiver(
  gateId: string,
  result: CriterionResult,
  waivers: readonly Waiver[],
  now: Date,
): CriterionResult {
  const mine = waivers.filter((w) => w.criterion === `${gateId}/${result.id}`);
  if (mine.length === 0 || result.status === 'PASS') return result;
  const latest = [...mine].sort((a, b) => Date.parse(b.expires) - Date.parse(a.expires))[0]!;
  const expired = !(Date.parse(latest.expires) > now.getTime());
  const waiver = {
    owner: latest.owner,
    reason: latest.reason,
    expires: latest.expires,
    expired,
    ...(latest.file ? { file: latest.file } : {}),
  };
  if (expired)
    return {
      ...result,
      waiver,
      reason: `${result.reason} (a waiver by ${latest.owner} expired on ${latest.expires})`,
    };
  return {
    ...result,
    status: 'WAIVED',
    waiver,
    reason: `waived by ${latest.owner} until ${latest.expires}: ${latest.reason} — was ${result.status}: ${result.reason}`,
  };
}
