// The `data` of a PromQL answer — `{resultType, result}` — as typed values, for Prometheus' instant and
// range queries and Loki's metric queries alike (shared/reference/monitoring.md §1.2):
//   vector  [{metric, value: [t, "v"]}]      matrix [{metric, values: [[t, "v"], …]}]
//   scalar  [t, "v"]                           string [t, "text"]
// Values go through parseSampleValue, so `"NaN"`, `"+Inf"` and `"-Inf"` are NaN and ±Infinity and a
// value that is no number is a malformed answer. With native histograms on, a series carries
// `histogram`/`histograms` instead of `value`/`values`; it is kept as such, never read as a float. Pure.
import { z } from 'zod';
import { type Labels, parseSampleValue } from './sample-value.js';

/** A float sample: `t` in unix seconds (fractional), `value` possibly NaN or ±Infinity. */
export interface FloatPoint {
  kind: 'float';
  t: number;
  value: number;
}

/** A native-histogram sample (experimental in 2.42): its count and sum only. */
export interface HistogramPoint {
  kind: 'histogram';
  t: number;
  count: number;
  sum: number;
}

export type Point = FloatPoint | HistogramPoint;

export type QueryResult =
  | { type: 'vector'; series: Array<{ labels: Labels; point: Point }> }
  | { type: 'matrix'; series: Array<{ labels: Labels; points: Point[] }> }
  | { type: 'scalar'; point: FloatPoint }
  | { type: 'string'; t: number; value: string };

const sampleValue = z.string().transform((text, ctx) => {
  const value = parseSampleValue(text);
  if (value === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `sample value ${JSON.stringify(text.slice(0, 40))} is not a number`,
    });
    return z.NEVER;
  }
  return value;
});

const floatPair = z
  .tuple([z.number(), sampleValue])
  .transform(([t, value]): FloatPoint => ({ kind: 'float', t, value }));

const histogramPair = z
  .tuple([z.number(), z.object({ count: sampleValue, sum: sampleValue }).loose()])
  .transform(([t, h]): HistogramPoint => ({ kind: 'histogram', t, count: h.count, sum: h.sum }));

const labels = z.record(z.string(), z.string());

const vectorElement = z
  .object({ metric: labels, value: floatPair.optional(), histogram: histogramPair.optional() })
  .transform((e, ctx) => {
    const point = e.value ?? e.histogram;
    if (!point) {
      ctx.addIssue({ code: 'custom', message: 'a vector element has neither value nor histogram' });
      return z.NEVER;
    }
    return { labels: e.metric, point };
  });

const matrixElement = z
  .object({
    metric: labels,
    values: z.array(floatPair).optional(),
    histograms: z.array(histogramPair).optional(),
  })
  .transform((e) => ({
    labels: e.metric,
    points: [...(e.values ?? []), ...(e.histograms ?? [])].sort((a, b) => a.t - b.t),
  }));

export const queryDataSchema = z.discriminatedUnion('resultType', [
  z
    .object({ resultType: z.literal('vector'), result: z.array(vectorElement) })
    .transform((d): QueryResult => ({ type: 'vector', series: d.result })),
  z
    .object({ resultType: z.literal('matrix'), result: z.array(matrixElement) })
    .transform((d): QueryResult => ({ type: 'matrix', series: d.result })),
  z
    .object({ resultType: z.literal('scalar'), result: floatPair })
    .transform((d): QueryResult => ({ type: 'scalar', point: d.result })),
  z
    .object({ resultType: z.literal('string'), result: z.tuple([z.number(), z.string()]) })
    .transform((d): QueryResult => ({ type: 'string', t: d.result[0], value: d.result[1] })),
]);
