// Planning a gate before the cutover window: from a recorded baseline's spread, how many requests per
// series each relative criterion needs so that, if the target is really no worse, the gate comes out
// GO with 90 % probability (the power is split across the gate's series). The performance suite can
// size its runs from these numbers; a gate that cannot be decided with the traffic planned shows here.
//
// The spread is itself an estimate from the baseline — a p95's from the few samples around it — so
// each number comes with the range the baseline's own uncertainty leaves (90 %), and the planned count
// is never below what the criterion needs to be judged at all. The seeded simulation checks the
// numbers: test/unit/gate-plan.test.ts.
import type { MetricEvidence } from '../evidence.js';
import { quantileOf } from '../stats/distribution.js';
import { normalQuantile } from '../stats/normal.js';
import { powerPerCriterion, samplesPerSide, spreadFactorRange } from '../stats/planning.js';
import { newcombe, wilson } from '../stats/proportion.js';
import { intervalWidening, minimumSamples, predictedError } from '../stats/quantile-ci.js';
import type { ServiceInfo } from './input.js';
import { distributionFor, rateCounts, seriesOf, upper } from './metric-series.js';
import { aggregationName } from './metrics.js';
import type { MetricCriterion, ParsedCriterion, ParsedGate } from './parse.js';

export interface PlanRow {
  criterion: string;
  series: string;
  /** The baseline's statistic: p(95) in ms, or the error rate. */
  baselineValue: number;
  baselineSamples: number;
  /** Requests per side for the wanted power at the spread the baseline shows; Infinity if undecidable. */
  needed: number;
  /** The range of `needed` the baseline's own uncertainty about its spread leaves (90 %). */
  low: number;
  high: number;
  /** Fewest requests per side the criterion judges at all (the quantile interval's, or `minSamples`). */
  minimum: number;
  note: string;
}

/** The confidence of the range stated for each planned number. */
export const PLAN_RANGE_LEVEL = 0.9;

interface Group {
  criterion: ParsedCriterion;
  rule: MetricCriterion;
  key: string;
  items: MetricEvidence[];
}

function groupsOf(
  gate: ParsedGate,
  baseline: readonly MetricEvidence[],
  services: readonly ServiceInfo[],
): Group[] {
  const groups: Group[] = [];
  for (const c of gate.criteria) {
    if (c.rule.kind !== 'metric' || !c.rule.relative) continue;
    const rule = c.rule;
    if (rule.type === 'counter' || rule.type === 'gauge') continue;
    const mine = baseline.filter(
      (e) => e.name === rule.metric && (c.spec.suite === undefined || e.suite === c.spec.suite),
    );
    // One series per endpoint, grouped exactly as the judges group it (status classes are parts of it).
    for (const { key, items } of seriesOf(mine, services, rule, c.spec.per ?? 'series').values())
      groups.push({ criterion: c, rule, key, items });
  }
  return groups;
}

export function planGate(
  gate: ParsedGate,
  baseline: readonly MetricEvidence[],
  services: readonly ServiceInfo[],
  gatePower = 0.9,
): PlanRow[] {
  const groups = groupsOf(gate, baseline, services);
  const power = powerPerCriterion(gatePower, groups.length);
  const powerNote = `power ${(power * 100).toFixed(1)} % per series (z ${normalQuantile(power).toFixed(2)})`;
  return groups.map((g) =>
    g.rule.type === 'rate'
      ? planRate(g, gate.alpha, power, powerNote)
      : planTrend(g, gate.alpha, power, powerNote),
  );
}

function planRate(g: Group, alpha: number, power: number, powerNote: string): PlanRow {
  const rel = g.rule.relative!;
  const f = rel.factor;
  const { x, n } = rateCounts(g.items) ?? { x: 0, n: 0 };
  const sign = upper(g.rule.op) ? 1 : -1;
  const minimum = Math.max(1, g.criterion.spec.minSamples ?? 0);
  const zPass = normalQuantile(1 - alpha);
  // The judge's interval is Newcombe's, a score interval: with no or few events its width is set by
  // z²/n rather than by √(p(1−p)/n), so a rate of zero still needs enough requests to show it is
  // small. The target is planned to show the baseline's rate p; the estimate p − factor·p then varies
  // with √(p(1−p)(1 + factor²)/n).
  const at = (p: number) =>
    samplesPerSide({
      errorsAt: (k) => {
        const i = newcombe(p * k, k, p * k, k, zPass, f);
        const estimate = (1 - f) * p;
        const judged = (sign > 0 ? i.high - estimate : estimate - i.low) / zPass;
        return { judged, actual: Math.sqrt((p * (1 - p) * (1 + f * f)) / k) };
      },
      margin: sign * (rel.slack + (f - 1) * p),
      alpha,
      power,
      minimum,
    });
  const p = x / Math.max(n, 1);
  const w = wilson(x, n, normalQuantile(1 - (1 - PLAN_RANGE_LEVEL) / 2));
  const needed = at(p);
  const ends = [needed, at(w.low), at(w.high)];
  return {
    criterion: g.criterion.spec.id,
    series: g.key,
    baselineValue: p,
    baselineSamples: n,
    needed,
    low: Math.min(...ends),
    high: Math.max(...ends),
    minimum,
    note: `rate ${(100 * p).toFixed(2)} % (${x}/${n}; ${PLAN_RANGE_LEVEL * 100} % ${(100 * w.low).toFixed(2)}–${(100 * w.high).toFixed(2)} %), allowed ${rel.slack >= 0 ? '+' : ''}${rel.slack}${f !== 1 ? ` and ×${f}` : ''}; ${powerNote}`,
  };
}

function planTrend(g: Group, alpha: number, power: number, powerNote: string): PlanRow {
  const rule = g.rule;
  const rel = rule.relative!;
  const q = rule.agg.fn === 'p' ? rule.agg.q : 0.5;
  const name = aggregationName(rule.agg);
  const minimum = Math.max(g.criterion.spec.minSamples ?? 0, minimumSamples(q));
  const d = distributionFor(g.items);
  const base = { criterion: g.criterion.spec.id, series: g.key, minimum };
  if (!d || !predictedError(d, q, minimum))
    return {
      ...base,
      baselineValue: Number.NaN,
      baselineSamples: d?.n ?? 0,
      needed: Number.POSITIVE_INFINITY,
      low: Number.POSITIVE_INFINITY,
      high: Number.POSITIVE_INFINITY,
      note: `the baseline has too few samples (${d?.n ?? 0}) to measure the spread of ${name}; at least ${minimumSamples(q)}`,
    };
  const value = quantileOf(d, q);
  const sign = upper(rule.op) ? 1 : -1;
  // Without a slack the judge compares log(target/baseline) with log(factor); with one, target −
  // factor·baseline in ms with the slack, whose standard error is √(se_t² + factor²·se_b²).
  const ratio = rel.slack === 0;
  const sides = ratio ? Math.SQRT2 : Math.sqrt(1 + rel.factor ** 2);
  const margin = sign * (ratio ? Math.log(rel.factor) : rel.slack + (rel.factor - 1) * value);
  // The judge's se is read from its interval; the estimate's actual sd is the same without the
  // outward rounding of the interval's ranks.
  const plan = (scale: number) =>
    samplesPerSide({
      errorsAt: (n) => {
        const e = predictedError(d, q, n);
        if (!e) return undefined;
        const judged = sides * scale * (ratio ? e.log : e.ms);
        return { judged, actual: judged / intervalWidening(n, q) };
      },
      margin,
      alpha,
      power,
      minimum,
    });
  const needed = plan(1);
  // How uncertain the spread is where it was read for that n: sampling and the buckets.
  const read = Number.isFinite(needed) ? predictedError(d, q, needed) : predictedError(d, q, d.n);
  const f = spreadFactorRange(read?.spanned ?? 0, PLAN_RANGE_LEVEL);
  const bucketing = read?.bucketing ?? 0;
  const low = plan(f.low * Math.max(0, 1 - bucketing));
  const high = plan(f.high * (1 + bucketing));
  const spreadNote = `its spread read from ${read?.spanned ?? 0} samples around it, ×${(f.low * (1 - bucketing)).toFixed(2)}–${(f.high * (1 + bucketing)).toFixed(2)} at ${PLAN_RANGE_LEVEL * 100} %`;
  const floorNote = needed === minimum ? `; the fewest ${name} can be judged with is ${minimum}` : '';
  return {
    ...base,
    baselineValue: value,
    baselineSamples: d.n,
    needed,
    low,
    high,
    note: `${name} ${value.toFixed(2)} ms from ${d.n} samples, ${spreadNote}; ${powerNote}${floorNote}`,
  };
}
