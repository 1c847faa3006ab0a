// What the Prometheus stand-in "stores": the platform's scrape jobs, their `up` series and the buckets of
// the HTTP histogram every simulated service exports (prom-client's default buckets), and a tiny PromQL
// evaluator for the queries liveness checks ask — `up` (with equality matchers) and `vector(N)`. Any other
// well-formed query is valid and selects nothing (an empty vector), which is what a real Prometheus says
// for a metric it does not have. Parameter errors use Prometheus 2.42's words.

import { json, type RouteResponse } from '../route.js';
import { type Labels, labelsMatch, parseEqualityMatchers } from './labels.js';

/** The jobs Prometheus scrapes on the platform; each one is up in the stand-in. */
export const SCRAPE_JOBS = [
  'traefik',
  'keycloak',
  'openbao',
  'rentguy-api',
  'psra-api',
  'psra-origin-engine',
  'wpcs-api',
  'n8n',
  'langgraph',
  'claude-chat',
  'trading-dashboard',
];

/** prom-client's default Histogram buckets, which the simulated services' http_request_duration_seconds uses. */
const BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];

export const instanceOf = (job: string) => `${job}:8080`;

/** Every series the stand-in holds, as /api/v1/series lists them. */
export const SERIES: Labels[] = SCRAPE_JOBS.flatMap((job) => [
  { __name__: 'up', instance: instanceOf(job), job },
  ...BUCKETS.map((le) => ({
    __name__: 'http_request_duration_seconds_bucket',
    instance: instanceOf(job),
    job,
    le,
  })),
]);

export const METADATA: Record<string, Array<{ type: string; help: string; unit: string }>> = {
  http_request_duration_seconds: [
    {
      type: 'histogram',
      help: 'Time from request arrival to the end of the response, injected delays included.',
      unit: '',
    },
  ],
  http_requests_total: [
    { type: 'counter', help: 'HTTP requests served, by method, route pattern and status code.', unit: '' },
  ],
};

export const badData = (error: string): RouteResponse =>
  json({ status: 'error', errorType: 'bad_data', error }, 400);

/** `name{a="b"}`, `{__name__="name", a="b"}` or `name` to the equality matchers they stand for. */
export function parseSelector(selector: string): Labels | undefined {
  const m = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(\{.*\})?\s*$/s.exec(selector);
  if (!m || (!m[1] && !m[2])) return undefined;
  const matchers = m[2] ? parseEqualityMatchers(m[2]) : {};
  if (!matchers) return undefined;
  return m[1] ? { ...matchers, __name__: m[1] } : matchers;
}

/** Where the first unclosed or unopened parenthesis is, in Prometheus' parse-error words. */
function parenError(query: string): string | undefined {
  let depth = 0;
  for (let i = 0; i < query.length; i++) {
    if (query[i] === '(') depth++;
    else if (query[i] === ')' && --depth < 0)
      return `invalid parameter "query": 1:${i + 1}: parse error: unexpected right parenthesis ')'`;
  }
  return depth > 0
    ? `invalid parameter "query": 1:${query.length + 1}: parse error: unclosed left parenthesis`
    : undefined;
}

export type Evaluation =
  | { ok: true; series: Array<{ metric: Labels; value: string }> }
  | { ok: false; error: string };

/** Evaluates the liveness queries; anything else well-formed selects nothing. */
export function evaluate(query: string): Evaluation {
  const q = query.trim();
  if (!q)
    return { ok: false, error: 'invalid parameter "query": 1:1: parse error: no expression found in input' };
  const unbalanced = parenError(q);
  if (unbalanced) return { ok: false, error: unbalanced };
  const literal = /^vector\(\s*([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?)\s*\)$/.exec(q);
  if (literal) return { ok: true, series: [{ metric: {}, value: String(Number(literal[1])) }] };
  const selector = parseSelector(q);
  if (selector?.__name__ === 'up') {
    const { __name__: _, ...want } = selector;
    return {
      ok: true,
      series: SCRAPE_JOBS.map((job) => ({
        metric: { __name__: 'up', instance: instanceOf(job), job },
        value: '1',
      })).filter((s) => labelsMatch(s.metric, want)),
    };
  }
  return { ok: true, series: [] };
}

/** A `time`, `start` or `end` parameter: unix seconds (fractional) or RFC 3339; ms, or undefined. */
export function parseTime(text: string): number | undefined {
  if (/^[+-]?\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A `step`: float seconds or a Prometheus duration (`15s`, `1m`, `1h30m`, `500ms`); seconds, or undefined. */
export function parseStep(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const units: Record<string, number> = {
    ms: 0.001,
    s: 1,
    m: 60,
    h: 3600,
    d: 86_400,
    w: 604_800,
    y: 31_536_000,
  };
  const parts = [...text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]!]!, 0);
}

/** Prometheus refuses a range query with more points than this per series. */
export const MAX_POINTS = 11_000;
