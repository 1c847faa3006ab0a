// Loki's query answers as typed values (grafana/loki docs/sources/reference/loki-http-api.md). Its
// answers share Prometheus' envelope; its errors do not: they are plain text written with http.Error
// (400 for a parse error or a limit, 504 deadline, 500 other), and its readiness is `ready` or a 503 with
// the reason (`Ingester not ready: waiting for 15s after being ready`). A log query gives `streams`,
// whose entries carry nanosecond timestamps as strings; a metric query gives a matrix like Prometheus'.
// Pure.
import { z } from 'zod';
import { type QueryResult, queryDataSchema } from './query-result.js';

export interface LogEntry {
  /** The timestamp as Loki wrote it: nanoseconds since the epoch, as a decimal string (exact). */
  ns: string;
  /** The same in ms, for arithmetic (sub-ms precision is lost). */
  ms: number;
  line: string;
}

export interface LogStream {
  labels: Record<string, string>;
  entries: LogEntry[];
}

export type LokiQueryResult = { type: 'streams'; streams: LogStream[] } | QueryResult;

const nanos = z.string().regex(/^\d{1,20}$/, 'expected a nanosecond timestamp');

const stream = z
  .object({
    stream: z.record(z.string(), z.string()),
    values: z.array(z.tuple([nanos, z.string()])).nullish(),
  })
  .loose()
  .transform(
    (s): LogStream => ({
      labels: s.stream,
      entries: (s.values ?? []).map(([ns, line]) => ({ ns, ms: Number(BigInt(ns) / 1_000_000n), line })),
    }),
  );

const streamsData = z
  .object({ resultType: z.literal('streams'), result: z.array(stream) })
  .loose()
  .transform((d): LokiQueryResult => ({ type: 'streams', streams: d.result }));

/** The `data` of /loki/api/v1/query_range and /query: streams, or a Prometheus-shaped metric result. */
export const lokiQueryDataSchema = z.unknown().transform((data, ctx): LokiQueryResult => {
  const isStreams = (data as { resultType?: unknown } | null)?.resultType === 'streams';
  const parsed = (isStreams ? streamsData : queryDataSchema).safeParse(data);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});

export const lokiLabelsSchema = z
  .array(z.string())
  .nullish()
  .transform((l) => l ?? []);

/** The newest entry across streams, with its stream's labels; undefined when there is none. */
export function newestEntry(
  streams: readonly LogStream[],
): { labels: Record<string, string>; entry: LogEntry } | undefined {
  let best: { labels: Record<string, string>; entry: LogEntry } | undefined;
  for (const s of streams)
    for (const entry of s.entries)
      if (!best || BigInt(entry.ns) > BigInt(best.entry.ns)) best = { labels: s.labels, entry };
  return best;
}
