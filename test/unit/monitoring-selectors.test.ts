import { describe, expect, it } from 'vitest';
import { lookupSelector, vectorSelectors } from '../../src/core/monitoring/promql-selectors.js';
import { declaringFamilies } from '../../src/suites/monitoring/prometheus-checks.js';

const sel = (expr: string) => vectorSelectors(expr).selectors;

describe('vectorSelectors', () => {
  it('finds a bare metric and a metric with matchers', () => {
    expect(sel('up == 0')).toEqual(['up']);
    expect(sel('http_requests_total{job="api", code=~"5.."} > 0')).toEqual([
      'http_requests_total{job="api", code=~"5.."}',
    ]);
  });

  it('drops range and subquery brackets, offsets and functions', () => {
    expect(sel('rate(http_requests_total{job="api"}[5m] offset 1h)')).toEqual([
      'http_requests_total{job="api"}',
    ]);
    expect(sel('max_over_time(rate(x[1m])[1h:1m])')).toEqual(['x']);
    expect(
      sel('histogram_quantile(0.95, sum by (le, job) (rate(http_request_duration_seconds_bucket[5m])))'),
    ).toEqual(['http_request_duration_seconds_bucket']);
  });

  it('skips label lists of aggregations and vector matching, and keywords', () => {
    expect(sel('sum without (instance) (a) / on (job) group_left (team) b and c unless d or e bool')).toEqual(
      ['a', 'b', 'c', 'd', 'e'],
    );
    expect(sel('sum(a) by (job)')).toEqual(['a']);
    expect(sel('topk(5, sum by (job) (rate(a[5m])))')).toEqual(['a']);
  });

  it('finds a selector written with only matchers', () => {
    expect(sel('count({__name__=~"job:.*", env="prod"})')).toEqual(['{__name__=~"job:.*", env="prod"}']);
  });

  it('ignores strings, comments, numbers and durations', () => {
    expect(sel('label_replace(up, "dst", "$1", "src", "(.*)") # up{job="x"}\n + 1e3 + 0x1f + 5m')).toEqual([
      'up',
    ]);
    expect(sel('vector(1)')).toEqual([]);
    expect(sel('time() - process_start_time_seconds > 5')).toEqual(['process_start_time_seconds']);
  });

  it('skips what absent() is meant to find missing', () => {
    expect(sel('absent(up{job="api"}) or absent_over_time(x[5m]) or y')).toEqual(['y']);
  });

  it('keeps each selector once, whitespace collapsed', () => {
    expect(sel('a{ job = "x" } / a{ job = "x" }')).toEqual(['a{ job = "x" }']);
  });

  it('names what it cannot scan', () => {
    expect(vectorSelectors('up{job="x').problem).toContain('unclosed "{"');
    expect(vectorSelectors('label_replace(up, "a').problem).toContain('unterminated string');
    expect(vectorSelectors('rate(up[5m').problem).toContain('unclosed "["');
  });
});

describe('lookupSelector', () => {
  it('keeps the metric name and equality matchers, drops regular-expression and negative ones', () => {
    expect(lookupSelector('http_requests_total{job="api", code=~"5..", path!="/health"}')).toBe(
      'http_requests_total{job="api"}',
    );
    expect(lookupSelector('up')).toBe('up');
    expect(lookupSelector('up{job="a,b"}')).toBe('up{job="a,b"}');
    expect(lookupSelector('{__name__="up", job="x"}')).toBe('{__name__="up", job="x"}');
  });

  it('does not look up a selector with nothing selective left', () => {
    expect(lookupSelector('{__name__=~"job:.*"}')).toBeUndefined();
  });
});

describe('the metric family that declares a series not yet written', () => {
  it('finds a histogram’s _count, _sum and _bucket under the family, and an OpenMetrics counter’s _total', () => {
    expect(declaringFamilies('http_server_requests_seconds_count')).toEqual([
      expect.objectContaining({ name: 'http_server_requests_seconds_count' }),
      { name: 'http_server_requests_seconds', types: ['histogram', 'summary'] },
    ]);
    expect(declaringFamilies('latency_bucket')[1]).toEqual({ name: 'latency', types: ['histogram'] });
    expect(declaringFamilies('jobs_total')[1]).toEqual({ name: 'jobs', types: ['counter'] });
    // A plain name is looked up as itself only.
    expect(declaringFamilies('up')).toHaveLength(1);
  });
});
