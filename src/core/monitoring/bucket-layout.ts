// Histogram bucket boundaries (the `le` label of a histogram's `_bucket` series), read from the series a
// Prometheus holds, so a comparison of quantiles can first check that both sides cut the same buckets.
// Mixed layouts make `histogram_quantile(sum by (le)(…))` nonsense without an error: Prometheus forces
// the summed buckets monotonic and answers (shared/reference/monitoring.md §2.4.4: instance a with
// 0.1/0.5/+Inf and b with 0.2/1/+Inf, every observation ≤ 0.2 s, gave p95 = 1). Such a comparison is
// INCONCLUSIVE with the boundaries named, never a verdict. Pure.
import { formatLabels, type Labels, parseSampleValue } from './sample-value.js';

export interface BucketLayout {
  /** The boundaries in ascending order, `+Inf` last, as numbers (`"0.10"` and `"0.1"` are one boundary). */
  boundaries: number[];
  /** The series (labels without `le` and `__name__`) that cut their buckets this way. */
  series: Labels[];
}

const identity = (labels: Labels) =>
  JSON.stringify(
    Object.entries(labels)
      .filter(([name]) => name !== 'le' && name !== '__name__')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );

const withoutLe = (labels: Labels): Labels =>
  Object.fromEntries(Object.entries(labels).filter(([name]) => name !== 'le' && name !== '__name__'));

/**
 * The distinct layouts among `_bucket` series (as /api/v1/series lists them). A series without an `le`
 * label, or with one that is not a number, is left out: it is not a bucket.
 */
export function bucketLayouts(series: readonly Labels[]): BucketLayout[] {
  const bySeries = new Map<string, { labels: Labels; bounds: Set<number> }>();
  for (const s of series) {
    const le = s.le === undefined ? undefined : parseSampleValue(s.le);
    if (le === undefined || Number.isNaN(le)) continue;
    const key = identity(s);
    const entry = bySeries.get(key) ?? { labels: withoutLe(s), bounds: new Set<number>() };
    entry.bounds.add(le);
    bySeries.set(key, entry);
  }
  const layouts = new Map<string, BucketLayout>();
  for (const { labels, bounds } of bySeries.values()) {
    const boundaries = [...bounds].sort((a, b) => a - b);
    const key = boundaries.join(',');
    const layout = layouts.get(key) ?? { boundaries, series: [] };
    layout.series.push(labels);
    layouts.set(key, layout);
  }
  return [...layouts.values()];
}

const show = (bounds: readonly number[]) =>
  bounds.map((b) => (b === Number.POSITIVE_INFINITY ? '+Inf' : String(b))).join(', ');

export type LayoutComparison =
  | { comparable: true; boundaries: number[] }
  | { comparable: false; reason: string };

function single(
  side: string,
  layouts: readonly BucketLayout[],
): { ok: true; bounds: number[] } | { ok: false; reason: string } {
  if (layouts.length === 0) return { ok: false, reason: `${side} has no bucket series for it` };
  if (layouts.length > 1) {
    const described = layouts
      .slice(0, 3)
      .map(
        (l) =>
          `[${show(l.boundaries)}] on ${formatLabels(l.series[0]!)}${l.series.length > 1 ? ` and ${l.series.length - 1} more` : ''}`,
      );
    return {
      ok: false,
      reason: `${side} mixes ${layouts.length} bucket layouts (${described.join('; ')}): summed by le, their quantiles are meaningless`,
    };
  }
  return { ok: true, bounds: layouts[0]!.boundaries };
}

/** Whether quantiles of the two sides' histograms can be compared: one layout each, the same boundaries. */
export function compareBucketLayouts(
  baseline: readonly BucketLayout[],
  target: readonly BucketLayout[],
  names: { baseline: string; target: string } = { baseline: 'the baseline', target: 'the target' },
): LayoutComparison {
  const a = single(names.baseline, baseline);
  const b = single(names.target, target);
  const problems = [a, b].flatMap((s) => (s.ok ? [] : [s.reason]));
  if (!a.ok || !b.ok) return { comparable: false, reason: problems.join('; ') };
  const onlyA = a.bounds.filter((x) => !b.bounds.includes(x));
  const onlyB = b.bounds.filter((x) => !a.bounds.includes(x));
  if (onlyA.length === 0 && onlyB.length === 0) return { comparable: true, boundaries: a.bounds };
  const parts = [
    onlyA.length ? `only ${names.baseline} has ${show(onlyA)}` : '',
    onlyB.length ? `only ${names.target} has ${show(onlyB)}` : '',
  ].filter(Boolean);
  return {
    comparable: false,
    reason: `the histograms have different bucket boundaries (${parts.join('; ')}): their quantiles are not comparable`,
  };
}
