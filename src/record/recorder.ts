// Records a run as it happens: events.jsonl line by line while results arrive, run.json atomically at
// the end. Ctrl-C or a killed process therefore leaves a run that `cutover report` can still read.
import { join } from 'node:path';
import type { Evidence } from '../core/evidence.js';
import type { CheckResult, GateResult, Verdict } from '../core/model.js';
import { addSeriesPoint, type LoadSeriesKey, type LoadSeriesPoint } from '../core/series.js';
import { appendLine, ensureDir, writeFileAtomic } from './files.js';
import {
  RUN_SCHEMA,
  type RunEvent,
  type RunMeta,
  type RunRecord,
  type RunStatus,
  type SuiteEnd,
} from './run-schema.js';

export const EVENTS_FILE = 'events.jsonl';
export const RUN_FILE = 'run.json';

export class RunRecorder {
  readonly dir: string;
  private readonly record: RunRecord;
  private finished = false;

  private constructor(dir: string, meta: RunMeta) {
    this.dir = dir;
    this.record = { schema: RUN_SCHEMA, ...meta, status: 'running', checks: [], evidence: [], gates: [] };
  }

  static start(reportsPath: string, meta: RunMeta): RunRecorder {
    const dir = join(reportsPath, meta.id);
    ensureDir(dir);
    const recorder = new RunRecorder(dir, meta);
    recorder.append({ type: 'run-start', at: meta.startedAt, run: meta });
    return recorder;
  }

  private append(event: RunEvent): void {
    appendLine(join(this.dir, EVENTS_FILE), JSON.stringify(event));
  }

  check(check: CheckResult): void {
    if (this.finished) return;
    this.record.checks.push(check);
    this.append({ type: 'check', check });
  }

  evidence(item: Evidence): void {
    if (this.finished) return;
    this.record.evidence.push(item);
    this.append({ type: 'evidence', evidence: item });
  }

  /** One point of a load series: kept (bounded by core/series.ts) and appended, so a kill keeps it. */
  seriesPoint(key: LoadSeriesKey, point: LoadSeriesPoint): void {
    if (this.finished) return;
    const series = keyAsRecorded(key);
    const kept = asJsonReadsIt(point);
    this.record.series ??= [];
    addSeriesPoint(this.record.series, series, kept);
    this.append({ type: 'series-point', series, point: kept });
  }

  /** A suite ran to its end (completed, or stopped with an error); a planned suite without one did not finish. */
  suiteEnd(end: SuiteEnd): void {
    if (this.finished) return;
    this.record.suiteEnds ??= [];
    this.record.suiteEnds.push(end);
    this.append({ type: 'suite-end', end });
  }

  gate(gate: GateResult): void {
    if (this.finished) return;
    this.record.gates.push(gate);
    this.append({ type: 'gate', gate });
  }

  get snapshot(): RunRecord {
    return this.record;
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Ends the run: the closing event, then run.json. Idempotent, so a signal handler may call it too. */
  finish(status: RunStatus, at: Date, verdict?: Verdict, verdictReason?: string): RunRecord {
    if (this.finished) return this.record;
    this.finished = true;
    this.record.status = status;
    this.record.finishedAt = at.toISOString();
    if (verdict) this.record.verdict = verdict;
    if (verdictReason) this.record.verdictReason = verdictReason;
    this.append({
      type: 'run-end',
      at: this.record.finishedAt,
      status,
      ...(verdict ? { verdict } : {}),
      ...(verdictReason ? { verdictReason } : {}),
    });
    writeFileAtomic(join(this.dir, RUN_FILE), `${JSON.stringify(this.record, null, 2)}\n`);
    return this.record;
  }
}

/**
 * A point with its non-finite figures as a reader of events.jsonl gets them back (NaN: JSON writes
 * them as null). Points of one second merge (a sum, a maximum, an order by t), and -Infinity merges
 * unlike NaN: merged as written, run.json and the record rebuilt from the events would differ.
 */
function asJsonReadsIt(point: LoadSeriesPoint): LoadSeriesPoint {
  const out = { ...point };
  for (const k of Object.keys(out) as (keyof LoadSeriesPoint)[])
    if (typeof out[k] === 'number' && !Number.isFinite(out[k])) out[k] = Number.NaN;
  return out;
}

/**
 * A timeline that is not a finite number is left out rather than written as null (unreadable: the
 * schema wants a positive number): without one, a chart spans the series' own points, which is what
 * an unbounded timeline meant.
 */
function keyAsRecorded(key: LoadSeriesKey): LoadSeriesKey {
  if (key.timelineS === undefined || Number.isFinite(key.timelineS)) return key;
  const { timelineS: _unbounded, ...rest } = key;
  return rest;
}

/** Sortable, unique enough for one machine, safe as a folder name: 20261128-034501-a1b2. */
export function newRunId(now: Date, random: string): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const d = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}`;
  const t = `${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return `${d}-${t}-${random}`;
}
