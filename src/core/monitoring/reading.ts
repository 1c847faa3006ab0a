// One number out of a PromQL answer, in three states that are never conflated
// (shared/reference/monitoring.md §2.4.3):
//   value  — a sample, finite or ±Infinity;
//   nan    — the series exist but the value is NaN: 0/0 of a ratio with no traffic, a histogram_quantile
//            over buckets with no observations;
//   empty  — no series matched at all: no data, a wrong label, a service that never reported.
// Flagger folds NaN and empty into one "no values found"; Argo's default treats them apart but differently
// per condition. A watch must say which it saw: "no traffic" and "no data" call for different actions,
// and neither is a healthy reading. A query that was meant to give one number and gives several series,
// a string, or a native histogram is `unreadable` with the reason — never its first element. Pure.
import type { Point, QueryResult } from './query-result.js';
import { formatLabels, formatSampleValue, type Labels } from './sample-value.js';

export type Reading =
  | { state: 'value'; value: number; t: number }
  | { state: 'nan'; t: number }
  | { state: 'empty' };

export type SingleReading = Reading | { state: 'unreadable'; reason: string };

function fromPoint(point: Point): Reading | { state: 'unreadable'; reason: string } {
  if (point.kind === 'histogram')
    return {
      state: 'unreadable',
      reason:
        'the series is a native histogram, not a float (wrap the query in histogram_quantile or histogram_count)',
    };
  return Number.isNaN(point.value)
    ? { state: 'nan', t: point.t }
    : { state: 'value', value: point.value, t: point.t };
}

const MAX_NAMED = 3;

/**
 * The one number an instant query gives: a scalar, or a vector of at most one series. A matrix is read
 * at its latest point only when it holds a single series.
 */
export function readSingle(result: QueryResult): SingleReading {
  switch (result.type) {
    case 'scalar':
      return fromPoint(result.point);
    case 'string':
      return {
        state: 'unreadable',
        reason: `the query gives a string (${JSON.stringify(result.value)}), not a number`,
      };
    case 'vector':
    case 'matrix': {
      if (result.series.length === 0) return { state: 'empty' };
      if (result.series.length > 1) {
        const named = result.series.slice(0, MAX_NAMED).map((s) => formatLabels(s.labels));
        const more = result.series.length > MAX_NAMED ? `, and ${result.series.length - MAX_NAMED} more` : '';
        return {
          state: 'unreadable',
          reason: `the query gives ${result.series.length} series where one number was expected (${named.join(', ')}${more}); aggregate it (sum, max, …) or narrow its labels`,
        };
      }
      const only = result.series[0]!;
      const point = 'point' in only ? only.point : only.points.at(-1);
      return point ? fromPoint(point) : { state: 'empty' };
    }
  }
}

export interface SeriesReading {
  labels: Labels;
  reading: Reading | { state: 'unreadable'; reason: string };
}

/** Every series of an instant vector with its reading; a scalar is one series without labels. */
export function readEach(result: QueryResult): SeriesReading[] {
  switch (result.type) {
    case 'scalar':
      return [{ labels: {}, reading: fromPoint(result.point) }];
    case 'string':
      return [];
    case 'vector':
      return result.series.map((s) => ({ labels: s.labels, reading: fromPoint(s.point) }));
    case 'matrix':
      return result.series.map((s) => {
        const last = s.points.at(-1);
        return { labels: s.labels, reading: last ? fromPoint(last) : { state: 'empty' } };
      });
  }
}

/** A reading in words, for a report line: `0.25`, `+Inf`, `NaN (series exist, no traffic)`, `empty (no series)`. */
export function describeReading(reading: SingleReading): string {
  switch (reading.state) {
    case 'value':
      return formatSampleValue(reading.value);
    case 'nan':
      return 'NaN (the series exist but have no traffic)';
    case 'empty':
      return 'empty (no series matched)';
    case 'unreadable':
      return `unreadable: ${reading.reason}`;
  }
}
