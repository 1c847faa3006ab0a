// Loki: readiness, log lines pushed and read back, and label names, the usual logging smoke test, in the
// shapes of Loki's HTTP API (docs/sources/reference/loki-http-api.md). query_range honours the time window
// (start inclusive, end exclusive, an hour back by default, or `since`), `limit` over all streams and
// `direction` (newest first by default); a stream selector with its line filters is evaluated, other
// pipeline stages are refused in words rather than answered unfiltered. Errors are plain text, as Loki's.

import { z } from 'zod';
import { json, type ServiceDefinition, text, withBody } from '../route.js';
import { fingerprint, type Labels, type Matcher, matcherMatches, success } from './labels.js';

const lokiPush = z.object({
  streams: z.array(
    z.object({
      stream: z.record(z.string(), z.string()),
      values: z.array(z.tuple([z.string().regex(/^\d+$/), z.string()])),
    }),
  ),
});

type LineFilter = { op: '|=' | '!=' | '|~' | '!~'; value: string };

const NEEDS_MATCHER =
  'parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will\n';

const QUOTED = '"((?:[^"\\\\]|\\\\.)*)"';
const unescapeQuoted = (s: string) => s.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));

/** `{a="b", c=~"x"} |= "text" != "other"` to its matchers and line filters; a string says why not. */
function parseLogQuery(query: string): { matchers: Matcher[]; filters: LineFilter[] } | string {
  const selector = /^\s*\{([^}]*)\}/.exec(query);
  if (!selector) return `parse error at line 1, col 1: syntax error: unexpected input, expecting {\n`;
  const matchers: Matcher[] = [];
  const matcherRe = new RegExp(`^\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!=|!~|=)\\s*${QUOTED}\\s*(,|$)`);
  let rest = selector[1]!;
  while (rest.trim() !== '') {
    const m = matcherRe.exec(rest);
    if (!m) return `parse error : syntax error: unexpected input in the stream selector {${selector[1]}}\n`;
    matchers.push({ name: m[1]!, op: m[2] as Matcher['op'], value: unescapeQuoted(m[3]!) });
    rest = rest.slice(m[0].length);
  }
  const filters: LineFilter[] = [];
  const filterRe = new RegExp(`^\\s*(\\|=|!=|\\|~|!~)\\s*${QUOTED}`);
  let pipeline = query.slice(selector[0].length);
  while (pipeline.trim() !== '') {
    const f = filterRe.exec(pipeline);
    if (!f)
      return `the Loki stand-in evaluates stream selectors and line filters only, not ${JSON.stringify(pipeline.trim())}\n`;
    filters.push({ op: f[1] as LineFilter['op'], value: unescapeQuoted(f[2]!) });
    pipeline = pipeline.slice(f[0].length);
  }
  if (!matchers.some((m) => !matcherMatches({}, m))) return NEEDS_MATCHER;
  return { matchers, filters };
}

function keeps(line: string, f: LineFilter): boolean {
  switch (f.op) {
    case '|=':
      return line.includes(f.value);
    case '!=':
      return !line.includes(f.value);
    case '|~':
      return new RegExp(f.value).test(line);
    case '!~':
      return !new RegExp(f.value).test(line);
  }
}

/** A timestamp parameter in ns: an integer is ns, a decimal number seconds, otherwise RFC 3339. */
function parseNs(value: string): bigint | undefined {
  if (/^\d+$/.test(value)) return BigInt(value);
  if (/^\d+\.\d+$/.test(value)) return BigInt(Math.round(Number(value) * 1000)) * 1_000_000n;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : BigInt(ms) * 1_000_000n;
}

/** A Prometheus-style duration (`5m`, `1h30m`) in ns. */
function parseDurationNs(value: string): bigint | undefined {
  const units: Record<string, bigint> = {
    ms: 1_000_000n,
    s: 1_000_000_000n,
    m: 60_000_000_000n,
    h: 3_600_000_000_000n,
    d: 86_400_000_000_000n,
  };
  const parts = [...value.matchAll(/(\d+)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) return undefined;
  return parts.reduce((sum, p) => sum + BigInt(p[1]!) * units[p[2]!]!, 0n);
}

const HOUR_NS = 3_600_000_000_000n;

export const loki: ServiceDefinition = {
  health: { path: '/ready', status: 200, contentType: 'text/plain', contains: 'ready' },
  routes: ({ peers = [], faults = [] }) => {
    const streams = new Map<string, { stream: Labels; values: Array<[string, string]> }>();
    // The shipping pipeline: every service of the environment logs a line a second before each query,
    // except those a `no-logs=SERVICE` fault silences.
    const silenced = new Set(
      faults.flatMap((f) =>
        f.kind === 'monitoring' && f.defect === 'no-logs' && f.service ? [f.service] : [],
      ),
    );
    const shipped = (nowMs: number): Array<{ stream: Labels; values: Array<[string, string]> }> =>
      peers
        .filter((p) => !silenced.has(p))
        .map((service) => ({
          stream: { service, job: service },
          values: [[`${BigInt(Math.round(nowMs - 1000)) * 1_000_000n}`, 'level=info msg="GET /health 200"']],
        }));
    return [
      { method: 'GET', path: '/ready', handler: () => text('ready\n') },
      {
        method: 'GET',
        path: '/loki/api/v1/status/buildinfo',
        handler: () =>
          json({ version: '3.1.1', revision: '0ab6dbd1', branch: 'HEAD', goVersion: 'go1.22.5' }),
      },
      {
        method: 'GET',
        path: '/loki/api/v1/labels',
        handler: () =>
          success([...new Set([...streams.values()].flatMap((s) => Object.keys(s.stream)))].sort()),
      },
      {
        method: 'POST',
        path: '/loki/api/v1/push',
        handler: (ctx) =>
          withBody(lokiPush, ctx, (body) => {
            for (const s of body.streams) {
              const key = fingerprint(s.stream);
              const entry = streams.get(key) ?? { stream: s.stream, values: [] };
              entry.values.push(...s.values);
              streams.set(key, entry);
            }
            return { status: 204 };
          }),
      },
      {
        method: 'GET',
        path: '/loki/api/v1/query_range',
        handler: (ctx) => {
          const parsed = parseLogQuery(ctx.query.get('query') ?? '');
          if (typeof parsed === 'string') return text(parsed, 400);
          const param = (name: string) => ctx.query.get(name);
          const end =
            param('end') === null ? BigInt(Math.round(ctx.now())) * 1_000_000n : parseNs(param('end')!);
          if (end === undefined) return text(`invalid end parameter: ${param('end')}\n`, 400);
          const since = param('since') === null ? HOUR_NS : parseDurationNs(param('since')!);
          if (since === undefined) return text(`invalid since parameter: ${param('since')}\n`, 400);
          const start = param('start') === null ? end - since : parseNs(param('start')!);
          if (start === undefined) return text(`invalid start parameter: ${param('start')}\n`, 400);
          const limit = param('limit') === null ? 100 : Number(param('limit'));
          if (!Number.isInteger(limit) || limit <= 0) return text('limit must be a positive value\n', 400);
          const forward = param('direction') === 'forward';
          // Loki's limit is over all streams: the newest (or oldest, forward) entries win, grouped back by stream.
          const picked = [...streams.values(), ...shipped(ctx.now())]
            .filter((s) => parsed.matchers.every((m) => matcherMatches(s.stream, m)))
            .flatMap((s) => s.values.map((v) => ({ stream: s.stream, value: v, ns: BigInt(v[0]) })))
            .filter((e) => e.ns >= start && e.ns < end && parsed.filters.every((f) => keeps(e.value[1], f)))
            .sort((a, b) => (a.ns === b.ns ? 0 : a.ns < b.ns === forward ? -1 : 1))
            .slice(0, limit);
          const grouped = new Map<string, { stream: Labels; values: Array<[string, string]> }>();
          for (const e of picked) {
            const key = fingerprint(e.stream);
            const g = grouped.get(key) ?? { stream: e.stream, values: [] };
            g.values.push(e.value);
            grouped.set(key, g);
          }
          return success({ resultType: 'streams', result: [...grouped.values()], stats: {} });
        },
      },
    ];
  },
};
