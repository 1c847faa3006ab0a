// Judges counts and ratios that are exact, not estimates: failed check results of a suite, parity of
// responses, findings by severity. Missing evidence can only hide failures, so a count that already
// breaks its limit FAILs at once, while a PASS needs the suite to say it covered everything.
import { type CountSource, checksSource, findingsSource, paritySource } from './count-sources.js';
import { byFreshness, describeFilter, type GateInput, staleReason } from './input.js';
import { compareExact } from './metric-series.js';
import { inconclusive, type Judgement, noEvidence, withEvidenceAt } from './outcome.js';
import type { CountCriterion, ParsedCriterion } from './parse.js';

const RULE =
  'exact count over the evidence; PASS needs the suite to report complete coverage where it reports coverage';

// Ratios are computed from counts, so == and != forgive float noise.
function holds(v: number, op: string, limit: number): boolean {
  return compareExact(v, op, limit, 1e-12);
}

/** Whether more evidence could only make the value worse (a count of failures under an upper limit). */
function failIsFinal(rule: CountCriterion): boolean {
  if (rule.field === 'ratio') return rule.op === '==' || rule.op === '>=' || rule.op === '>';
  if (rule.source === 'checks' && (rule.field === 'passed' || rule.field === 'total')) return false;
  if (rule.source === 'parity' && ['compared', 'equal', 'steps'].includes(rule.field)) return false;
  return rule.op === '<' || rule.op === '<=' || (rule.op === '==' && rule.value === 0);
}

function judgeWith<T extends { at: string }>(
  c: ParsedCriterion,
  input: GateInput,
  src: CountSource<T>,
): Judgement {
  return withEvidenceAt(judgeItems(c, input, src), src.items);
}

function judgeItems<T extends { at: string }>(
  c: ParsedCriterion,
  input: GateInput,
  src: CountSource<T>,
): Judgement {
  const rule = c.rule as CountCriterion;
  const env = c.environment;
  const label = `${rule.source === 'parity' ? 'parity' : rule.suite}${describeFilter(rule.filter)}.${rule.field}`;
  const unit = rule.field === 'ratio' ? 'ratio' : 'count';
  const decided = (
    status: 'PASS' | 'FAIL' | 'INCONCLUSIVE',
    reason: string,
    v: number,
    n: number,
    missing?: string,
  ): Judgement => ({
    groups: [],
    unit,
    rule: RULE,
    decided: { status, reason, value: v, limit: rule.value, n, ...(missing ? { missing } : {}) },
  });
  if (src.items.length === 0) {
    // A findings count with complete coverage and no findings is a real zero, not missing evidence.
    if (rule.source === 'findings' && src.coverage.length > 0) {
      const gap = src.gap([]);
      if (gap)
        return inconclusive(
          'count',
          RULE,
          `0 ${rule.field} findings, but ${gap}`,
          `complete ${rule.suite} coverage`,
        );
      if (holds(0, rule.op, rule.value))
        return decided(
          'PASS',
          `0 ${rule.field} findings; coverage complete (${src.coverage.map((x) => x.scope).join(', ')})`,
          0,
          0,
        );
    }
    const where = describeFilter(rule.filter) ? ` matching ${describeFilter(rule.filter)}` : '';
    return noEvidence('count', RULE, `${label} on ${env}`, `no ${src.none} on ${env}${where}`);
  }
  const { fresh, stale } = byFreshness(src.items, input.now, c.maxAgeMs);
  if (fresh.length === 0)
    return inconclusive('count', RULE, staleReason(stale, input.now, c.maxAgeMs), `fresh ${label}`);
  const v = src.value(fresh);
  const n = src.n(fresh);
  if (Number.isNaN(v)) {
    // The source says why nothing was compared (each step's reason), so the reason leads to the cause.
    const why = src.gap(fresh);
    return noEvidence(
      'ratio',
      RULE,
      `${label} on ${env}`,
      `${fresh.length} parity step(s) but 0 responses compared${why ? `: ${why}` : ''}`,
    );
  }
  const shown = rule.field === 'ratio' ? v.toFixed(4) : String(v);
  const base = `${label} = ${shown} over ${n} ${src.noun}, required ${rule.op} ${rule.value}`;
  if (!holds(v, rule.op, rule.value)) {
    // A count that can only grow with more evidence is already decided; one that could still change is not.
    const more = src.detail(fresh);
    return failIsFinal(rule)
      ? decided('FAIL', `${base}${more ? `: ${more}` : ''}`, v, n)
      : decided(
          'INCONCLUSIVE',
          `${base}${more ? `: ${more}` : ''} (more evidence could still change it)`,
          v,
          n,
        );
  }
  const gap = src.gap(fresh);
  if (gap) return decided('INCONCLUSIVE', `${base}, but ${gap}`, v, n, `complete ${rule.suite} coverage`);
  return decided('PASS', base, v, n);
}

export function judgeCount(c: ParsedCriterion, input: GateInput): Judgement {
  const rule = c.rule as CountCriterion;
  if (rule.source === 'checks') return judgeWith(c, input, checksSource(c, rule, input));
  if (rule.source === 'parity') return judgeWith(c, input, paritySource(c, rule, input));
  return judgeWith(c, input, findingsSource(c, rule, input));
}
