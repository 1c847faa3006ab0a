// Planning a gate before the cutover window: from a recorded baseline's spread, how many requests per
// series each relative criterion needs so that, if the target is really no worse, the gate comes out
// GO with 90 % probability (the power is split across the gate's series). The performance suite can
// size its runs from these numbers; a gate that cannot be decided with the traffic planned shows here.
import type { MetricEvidence } from '../evidence.js';
import { distributionFromEncoded, mergeDistributions } from '../stats/distribution.js';
import { normalQuantile } from '../stats/normal.js';
import { powerPerCriterion, samplesPerSide } from '../stats/planning.js';
import { quantileInterval } from '../stats/quantile-ci.js';
import { matches, type ServiceInfo, withServiceTags } from './input.js';
import { SAMPLE_TAGS } from './metric-series.js';
import { aggregationName } from './metrics.js';
import type { MetricCriterion, ParsedGate } from './parse.js';

export interface PlanRow {
  criterion: string;
  series: string;
  /** The baseline's statistic: p(95) in ms, or the error rate. */
  baselineValue: number;
  baselineSamples: number;
  /** Requests per side for the wanted power; Infinity if the margin is zero or negative. */
  needed: number;
  note: string;
}

const SPREAD_Z = 1.959963984540054;

export function planGate(
  gate: ParsedGate,
  baseline: readonly MetricEvidence[],
  services: readonly ServiceInfo[],
  gatePower = 0.9,
): PlanRow[] {
  const relative = gate.criteria.filter(
    (c) =>
      c.rule.kind === 'metric' && c.rule.relative && c.rule.type !== 'counter' && c.rule.type !== 'gauge',
  );
  const groups: { id: string; rule: MetricCriterion; key: string; items: MetricEvidence[] }[] = [];
  for (const c of relative) {
    const rule = c.rule as MetricCriterion;
    const bySeries = new Map<string, MetricEvidence[]>();
    for (const e of baseline) {
      if (e.name !== rule.metric) continue;
      const tags = withServiceTags(e.tags, services);
      if (!matches(tags, rule.filter)) continue;
      // One series per endpoint, as the judges group it: its status classes are parts of it.
      const key = (
        c.spec.per ??
        Object.keys(e.tags)
          .filter((k) => !SAMPLE_TAGS.includes(k))
          .sort()
      )
        .map((k) => `${k}=${tags[k] ?? '(none)'}`)
        .join(', ');
      bySeries.set(key, [...(bySeries.get(key) ?? []), e]);
    }
    for (const [key, items] of bySeries) groups.push({ id: c.spec.id, rule, key, items });
  }
  const power = powerPerCriterion(gatePower, groups.length);
  const alpha = gate.alpha;
  return groups.map(({ id, rule, key, items }) => {
    const rel = rule.relative!;
    if (rule.type === 'rate') {
      const x = items.reduce((s, i) => s + (i.passes ?? 0), 0);
      const n = items.reduce((s, i) => s + (i.passes ?? 0) + (i.fails ?? 0), 0);
      // With no error seen, plan for one error in the baseline's requests rather than a rate of zero.
      const p = Math.max(x, 1) / Math.max(n, 1);
      const margin = rel.slack + (rel.factor - 1) * p;
      const needed = samplesPerSide({ spreadPerSample: Math.sqrt(p * (1 - p)), margin, alpha, power });
      return {
        criterion: id,
        series: key,
        baselineValue: x / Math.max(n, 1),
        baselineSamples: n,
        needed,
        note: `rate, allowed +${rel.slack}${rel.factor !== 1 ? ` and ×${rel.factor}` : ''}`,
      };
    }
    const q = rule.agg.fn === 'p' ? rule.agg.q : 0.5;
    const d = mergeDistributions(
      items.filter((i) => i.histogram).map((i) => distributionFromEncoded(i.histogram!)),
    );
    const ci = quantileInterval(d, q, SPREAD_Z);
    if (!ci)
      return {
        criterion: id,
        series: key,
        baselineValue: Number.NaN,
        baselineSamples: d.n,
        needed: Number.POSITIVE_INFINITY,
        note: `the baseline has too few samples (${d.n}) to measure the spread of ${aggregationName(rule.agg)}`,
      };
    const logSpread = ((Math.log(ci.high) - Math.log(ci.low)) / (2 * SPREAD_Z)) * Math.sqrt(d.n);
    const absSpread = ((ci.high - ci.low) / (2 * SPREAD_Z)) * Math.sqrt(d.n);
    // With a slack, the margin when nothing changed is slack + (factor − 1)·baseline, in ms.
    const needed =
      rel.slack === 0
        ? samplesPerSide({ spreadPerSample: logSpread, margin: Math.log(rel.factor), alpha, power })
        : samplesPerSide({
            spreadPerSample: absSpread * Math.sqrt((1 + rel.factor ** 2) / 2),
            margin: rel.slack + (rel.factor - 1) * ci.value,
            alpha,
            power,
          });
    return {
      criterion: id,
      series: key,
      baselineValue: ci.value,
      baselineSamples: d.n,
      needed,
      note: `${aggregationName(rule.agg)} ${ci.value.toFixed(2)} ms; power ${(power * 100).toFixed(1)} % per series (z ${normalQuantile(power).toFixed(2)})`,
    };
  });
}
