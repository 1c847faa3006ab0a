// A k6 result made elsewhere (`cutover import k6`): k6's JSON-lines output (`--out json=FILE`, gzip
// too) or an end-of-test summary — the `--summary-export` file, the object `handleSummary(data)` gets
// (written out by the script), or the machine-readable summary of k6 v1.5+ (shared/reference/k6.md
// §3–4). Read strictly: a file cut short, a foreign file or an empty one is the user's to fix (exit 2,
// naming the file, the line or field, and why), never a partial import.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { UserError } from '../../core/errors.js';
import type { SliceResult } from '../load/recorder.js';
import { readUserScriptText } from './user-script.js';

/** A k6 JSON-lines output, read into the engines' result shape, with the thresholds its Metric lines declare. */
export interface K6JsonResult {
  kind: 'json';
  result: SliceResult;
  thresholds: Record<string, string[]>;
  /** From the first point's time to the last's. */
  elapsedSeconds: number;
  points: number;
}

/** One metric of a summary: k6's type and its aggregate values, and k6's own threshold verdicts. */
export interface SummaryMetric {
  type?: string;
  values: Record<string, number>;
  /** Threshold source → held. */
  thresholds: Record<string, boolean>;
}

export interface K6SummaryResult {
  kind: 'summary';
  /** Which of k6's three summary shapes. */
  shape: 'handleSummary' | 'summary-export' | 'machine-readable';
  metrics: Record<string, SummaryMetric>;
  checks: Record<string, { passes: number; fails: number }>;
  /** The run's length in seconds, when the summary says it. */
  durationSeconds?: number;
}

export type K6Result = K6JsonResult | K6SummaryResult;

const fail = (file: string, where: string, why: string, hint?: string) =>
  new UserError(`${file}${where ? `, ${where}` : ''}: ${why}`, hint ? { hint } : {});

const FORMATS_HINT =
  'cutover import k6 reads k6 run --out json=FILE (JSON lines, .gz too), --summary-export=FILE, or the data handleSummary() receives';

function readText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw fail(
      file,
      '',
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message,
    );
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw fail(file, '', `gzip data cut short or damaged (${(error as Error).message})`);
    }
  }
  return bytes.toString('utf8');
}

/** Reads a k6 result file, whichever of k6's formats it is. */
export function readK6Result(file: string, name: string, environment: string): K6Result {
  const text = readText(file);
  if (text.trim() === '') throw fail(file, '', 'empty: no k6 output in it', FORMATS_HINT);
  const firstLine = text.slice(0, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n')).trim();
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch (error) {
    // JSON lines do not parse as one document (unless there is a single line); a pretty-printed
    // summary starts with a line that is no JSON object by itself.
    if (firstLine.startsWith('{') && isJson(firstLine)) return readJsonLines(file, text, name, environment);
    if (text.trimStart().startsWith('{') || text.trimStart().startsWith('['))
      throw fail(
        file,
        '',
        /end of (JSON )?input|Unterminated|Expected/i.test((error as Error).message)
          ? `cut short: the JSON ends before it is complete (${(error as Error).message})`
          : `not valid JSON (${(error as Error).message})`,
        FORMATS_HINT,
      );
    throw fail(file, 'line 1', 'not k6 output: neither a JSON summary nor JSON lines', FORMATS_HINT);
  }
  if (isObject(whole) && (whole.type === 'Point' || whole.type === 'Metric'))
    return readJsonLines(file, text, name, environment);
  if (!isObject(whole) || !('metrics' in whole || 'root_group' in whole || 'results' in whole))
    throw fail(
      file,
      '',
      'not k6 output: a JSON document without the fields of a k6 summary (metrics, root_group)',
      FORMATS_HINT,
    );
  return readSummary(file, whole);
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readJsonLines(file: string, text: string, name: string, environment: string): K6JsonResult {
  const lines = text.split('\n');
  const thresholds: Record<string, string[]> = {};
  let points = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const where = `line ${i + 1}`;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch (error) {
      const lastLine = lines.slice(i + 1).every((l) => l.trim() === '');
      throw lastLine && !text.endsWith('\n')
        ? fail(
            file,
            where,
            'cut short: the last line ends mid-object (was it copied while k6 was still writing?)',
          )
        : fail(file, where, `not JSON (${(error as Error).message}): ${line.slice(0, 60)}`, FORMATS_HINT);
    }
    if (
      !isObject(o) ||
      (o.type !== 'Point' && o.type !== 'Metric') ||
      typeof o.metric !== 'string' ||
      !isObject(o.data)
    )
      throw fail(
        file,
        where,
        'not a line of k6 JSON output (expected {"type":"Point"|"Metric","metric":…,"data":{…}})',
        FORMATS_HINT,
      );
    if (o.type === 'Metric') {
      const t = o.data.thresholds;
      if (Array.isArray(t) && t.length > 0)
        thresholds[o.metric] = t.filter((x): x is string => typeof x === 'string');
      continue;
    }
    if (typeof o.data.value !== 'number') throw fail(file, `${where}, data.value`, 'missing or not a number');
    const time = typeof o.data.time === 'string' ? Date.parse(o.data.time) : Number.NaN;
    if (!Number.isFinite(time)) throw fail(file, `${where}, data.time`, 'missing or not a time');
    first = Math.min(first, time);
    last = Math.max(last, time);
    points++;
  }
  if (points === 0) throw fail(file, '', 'k6 JSON output without a single measurement (no Point lines)');
  const result = readUserScriptText(text, name, environment);
  return { kind: 'json', result, thresholds, elapsedSeconds: Math.max((last - first) / 1000, 1e-3), points };
}

/** A required object field of a summary, or exit 2 naming it. */
function field(file: string, path: string, v: unknown): Record<string, unknown> {
  if (!isObject(v))
    throw fail(
      file,
      `field "${path}"`,
      v === undefined ? 'missing: not a complete k6 summary' : 'not an object',
      FORMATS_HINT,
    );
  return v;
}

const REQUIRED = ['http_reqs', 'http_req_duration'];

function readSummary(file: string, data: unknown): K6SummaryResult {
  const doc = field(file, '(top level)', data);
  const metrics: Record<string, SummaryMetric> = {};
  const checks: Record<string, { passes: number; fails: number }> = {};
  let shape: K6SummaryResult['shape'];
  let durationSeconds: number | undefined;
  if (doc.version !== undefined && doc.results !== undefined) {
    // The machine-readable summary (k6 v1.5+, schema 1.0.0): metrics as an array, no threshold verdicts.
    shape = 'machine-readable';
    const results = field(file, 'results', doc.results);
    if (!Array.isArray(results.metrics))
      throw fail(file, 'field "results.metrics"', 'missing: not a complete k6 summary');
    for (const [i, m] of (results.metrics as unknown[]).entries()) {
      const metric = field(file, `results.metrics[${i}]`, m);
      const values = field(file, `results.metrics[${i}].values`, metric.values);
      if (typeof metric.name !== 'string') throw fail(file, `field "results.metrics[${i}].name"`, 'missing');
      const v = numbers(values);
      // A rate here is { matches, total, rate }.
      if (metric.type === 'rate' && v.matches !== undefined && v.total !== undefined)
        Object.assign(v, { passes: v.matches, fails: v.total - v.matches });
      metrics[metric.name] = { type: String(metric.type ?? ''), values: v, thresholds: {} };
    }
    const c =
      isObject(doc.results) && isObject((doc.results as Record<string, unknown>).checks)
        ? ((doc.results as Record<string, unknown>).checks as Record<string, unknown>)
        : undefined;
    for (const r of Array.isArray(c?.results) ? (c.results as unknown[]) : [])
      if (isObject(r) && typeof r.name === 'string')
        checks[r.name] = { passes: Number(r.passes ?? 0), fails: Number(r.fails ?? 0) };
    const config = isObject(doc.config) ? doc.config : {};
    if (typeof config.duration === 'number') durationSeconds = config.duration;
  } else {
    const raw = field(file, 'metrics', doc.metrics);
    // handleSummary's data has { type, contains, values }; --summary-export flattens the values.
    shape = Object.values(raw).some((m) => isObject(m) && isObject(m.values))
      ? 'handleSummary'
      : 'summary-export';
    for (const [name, m] of Object.entries(raw)) {
      const metric = field(file, `metrics.${name}`, m);
      const values =
        shape === 'handleSummary' ? field(file, `metrics.${name}.values`, metric.values) : metric;
      const v = numbers(values);
      // --summary-export renames a rate's `rate` to `value`, and its threshold booleans mean FAILED.
      if (
        shape === 'summary-export' &&
        v.passes !== undefined &&
        v.fails !== undefined &&
        v.value !== undefined
      )
        v.rate = v.value;
      const thresholds: Record<string, boolean> = {};
      for (const [src, verdict] of Object.entries(isObject(metric.thresholds) ? metric.thresholds : {}))
        thresholds[src] = typeof verdict === 'boolean' ? !verdict : isObject(verdict) && verdict.ok === true;
      metrics[name] = {
        ...(typeof metric.type === 'string' ? { type: metric.type } : {}),
        values: v,
        thresholds,
      };
    }
    collectChecks(doc.root_group, checks);
    const state = isObject(doc.state) ? doc.state : {};
    if (typeof state.testRunDurationMs === 'number') durationSeconds = state.testRunDurationMs / 1000;
  }
  for (const name of REQUIRED)
    if (!metrics[name])
      throw fail(
        file,
        `field "${shape === 'machine-readable' ? 'results.metrics' : 'metrics'}.${name}"`,
        'missing: a k6 summary of an HTTP load has it; is the file complete?',
      );
  if (metrics.http_reqs!.values.count === undefined)
    throw fail(file, 'field "metrics.http_reqs.count"', 'missing: not a complete k6 summary');
  return {
    kind: 'summary',
    shape,
    metrics,
    checks,
    ...(durationSeconds !== undefined ? { durationSeconds } : {}),
  };
}

function numbers(o: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).filter((e): e is [string, number] => typeof e[1] === 'number'));
}

/** Checks by name from a summary's groups (arrays in handleSummary's data, objects in --summary-export). */
function collectChecks(group: unknown, out: Record<string, { passes: number; fails: number }>): void {
  if (!isObject(group)) return;
  const list = (v: unknown) => (Array.isArray(v) ? v : isObject(v) ? Object.values(v) : []);
  for (const c of list(group.checks)) {
    if (!isObject(c) || typeof c.name !== 'string') continue;
    const t = out[c.name] ?? { passes: 0, fails: 0 };
    t.passes += Number(c.passes ?? 0);
    t.fails += Number(c.fails ?? 0);
    out[c.name] = t;
  }
  for (const g of list(group.groups)) collectChecks(g, out);
}
