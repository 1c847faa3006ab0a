// Judges a criterion on a k6-style metric: absolute thresholds (k6 syntax, but with an interval where
// the value is an estimate) and limits relative to the baseline (quantile ratios and rate differences
// with intervals), per group of series.
import { byFreshness, describeFilter, type GateInput, staleReason } from './input.js';
import { judgeAbsoluteRate, judgeAbsoluteTrend } from './judge-absolute.js';
import { judgeRelativeExact, judgeRelativeRate, judgeRelativeTrend } from './judge-relative.js';
import {
  compareExact,
  distributionFor,
  exactValue,
  type Levels,
  opText,
  pct,
  rateCounts,
  selectItems,
  seriesOf,
} from './metric-series.js';
import { aggregationName } from './metrics.js';
import { inconclusive, type Judgement, noEvidence, withEvidenceAt } from './outcome.js';
import type { MetricCriterion, ParsedCriterion } from './parse.js';

export { type Levels, primeDistribution } from './metric-series.js';

function unitOf(rule: MetricCriterion): string {
  if (rule.type === 'trend') return rule.relative && rule.relative.slack === 0 ? 'ratio' : 'ms';
  if (rule.type === 'rate') return 'rate';
  return 'count';
}

function ruleText(rule: MetricCriterion, lv: Levels): string {
  const stat =
    rule.type === 'rate' || (rule.type === 'trend' && rule.agg.fn !== 'min' && rule.agg.fn !== 'max');
  if (!stat) return 'exact comparison of the observed value';
  const how = rule.relative
    ? rule.type === 'trend'
      ? 'distribution-free quantile intervals per side (from the histograms), combined as in Price & Bonett'
      : 'Newcombe hybrid score interval for the rate difference'
    : rule.type === 'trend'
      ? rule.agg.fn === 'avg'
        ? 'normal interval for the mean'
        : 'distribution-free order-statistic interval, sign test'
      : 'Wilson score interval, score test';
  return `PASS when the ${pct(lv.level)} interval is wholly within the limit; FAIL when wholly beyond it and significant after Holm–Bonferroni across the gate; INCONCLUSIVE between (${how})`;
}

export function judgeMetric(c: ParsedCriterion, input: GateInput, lv: Levels): Judgement {
  const all = selectItems(c, input, c.environment);
  return withEvidenceAt(judgeSelected(c, input, lv, all), all);
}

function judgeSelected(
  c: ParsedCriterion,
  input: GateInput,
  lv: Levels,
  all: ReturnType<typeof selectItems>,
): Judgement {
  const rule = c.rule as MetricCriterion;
  const unit = unitOf(rule);
  const rule_ = ruleText(rule, lv);
  const label = `${rule.metric}${describeFilter(rule.filter)}`;
  const { fresh, stale } = byFreshness(all, input.now, c.maxAgeMs);
  if (all.length === 0)
    return noEvidence(unit, rule_, `${label} on ${c.environment}`, `no ${label} samples on ${c.environment}`);
  if (fresh.length === 0)
    return inconclusive(
      unit,
      rule_,
      staleReason(stale, input.now, c.maxAgeMs),
      `fresh ${label} on ${c.environment}`,
    );
  const minSamples = c.spec.minSamples ?? 0;
  const baselineLabel = input.baselineLabel ?? input.baseline;
  if (rule.relative) {
    if (input.incomparable)
      return inconclusive(unit, rule_, `cannot compare with the baseline: ${input.incomparable}`);
    const baseItems = selectItems(c, input, input.baseline);
    if (baseItems.length === 0)
      return noEvidence(
        unit,
        rule_,
        `${label} on ${baselineLabel}`,
        `no ${label} samples on the ${baselineLabel} to compare with`,
      );
    const per = c.spec.per ?? 'series';
    const ts = seriesOf(fresh, input.services, rule, per);
    const bs = seriesOf(baseItems, input.services, rule, per);
    if (ts.size === 0 && bs.size === 0)
      return noEvidence(unit, rule_, `${label}`, `no series match ${label}`);
    const keys = [...new Set([...bs.keys(), ...ts.keys()])].sort();
    const groups = keys.map((key) => {
      const t = ts.get(key)?.items ?? [];
      const b = bs.get(key)?.items ?? [];
      return rule.type === 'trend'
        ? judgeRelativeTrend(
            rule,
            t.length ? distributionFor(t) : undefined,
            b.length ? distributionFor(b) : undefined,
            key,
            lv,
            minSamples,
            baselineLabel,
          )
        : rule.type === 'rate'
          ? judgeRelativeRate(rule, rateCounts(t), rateCounts(b), key, lv, minSamples, baselineLabel)
          : judgeRelativeExact(rule, t, b, key);
    });
    return { groups, unit, rule: rule_ };
  }
  const per = c.spec.per ?? [];
  const ts = seriesOf(fresh, input.services, rule, per);
  if (ts.size === 0) return noEvidence(unit, rule_, label, `no series match ${label}`);
  const groups = [...ts.values()]
    .sort((a, b) => a.key.localeCompare(b.key))
    .map(({ key, items }) => {
      if (rule.type === 'trend') return judgeAbsoluteTrend(rule, distributionFor(items), key, lv, minSamples);
      if (rule.type === 'rate') return judgeAbsoluteRate(rule, rateCounts(items), key, lv, minSamples);
      const v = exactValue(rule, items);
      if (v === undefined) return { key, status: 'INCONCLUSIVE' as const, reason: 'no value recorded' };
      const ok = compareExact(v, rule.op, rule.threshold!);
      return {
        key,
        status: ok ? ('PASS' as const) : ('FAIL' as const),
        value: v,
        limit: rule.threshold!,
        reason: `${aggregationName(rule.agg)} ${v} (exact), allowed ${opText(rule.op)} ${rule.threshold}`,
      };
    });
  return { groups, unit, rule: rule_ };
}
