// Reading a demo's or perf run's record in the performance tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadSeries } from '../../src/core/series.js';

export interface Metric {
  kind: string;
  suite: string;
  environment: string;
  name: string;
  tags: Record<string, string>;
  histogram?: string;
  passes?: number;
  fails?: number;
  count?: number;
}

export function lastRun(dir: string): {
  evidence: Metric[];
  checks: Array<{ suite: string; environment: string; check: string; status: string }>;
  series?: LoadSeries[];
} {
  const reports = join(dir, 'reports');
  const run = readdirSync(reports).sort().at(-1)!;
  return JSON.parse(readFileSync(join(reports, run, 'run.json'), 'utf8'));
}

export const perfMetrics = (ev: Metric[]) =>
  ev.filter((e) => e.kind === 'metric' && e.suite === 'performance');
export const duration = (ev: Metric[], env: string, endpoint: string) =>
  perfMetrics(ev).find(
    (e) => e.name === 'http_req_duration' && e.environment === env && e.tags.endpoint === endpoint,
  );

// The suites the wave gates read; the monitoring suite and the post-cutover watch have tests of their own.
export const LOAD_SUITES = ['--suite', 'smoke,integration,performance,security'];
