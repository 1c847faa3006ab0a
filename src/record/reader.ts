// Reads a run back: run.json when the run finished, otherwise rebuilt from events.jsonl (a run that was
// interrupted or killed). Corrupt input is a UserError naming the file and the problem.
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { z } from 'zod';
import { formatIssues } from '../config/issues.js';
import { UserError } from '../core/errors.js';
import { addSeriesPoint } from '../core/series.js';
import { EVENTS_FILE, RUN_FILE } from './recorder.js';
import {
  RUN_SCHEMA,
  type RunGatesRecord,
  type RunRecord,
  type RunSummary,
  runEventSchema,
  runGatesSchema,
  runRecordSchema,
  runSummarySchema,
} from './run-schema.js';

/** Finds a run folder from an id (under reportsPath) or a path to the folder. */
export function locateRun(reportsPath: string, idOrPath: string, cwd: string): string {
  const candidates = [isAbsolute(idOrPath) ? idOrPath : resolve(cwd, idOrPath), join(reportsPath, idOrPath)];
  for (const dir of candidates) {
    if (
      existsSync(dir) &&
      statSync(dir).isDirectory() &&
      (existsSync(join(dir, RUN_FILE)) || existsSync(join(dir, EVENTS_FILE)))
    ) {
      return dir;
    }
  }
  throw new UserError(`no run "${idOrPath}": neither a run id under ${reportsPath} nor a run folder`, {
    hint: 'cutover history lists the runs; a run folder holds run.json or events.jsonl',
  });
}

/** run.json read against `schema` (the whole record, or the summary history needs). */
function parseRecordFile<T>(file: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (raw && typeof raw === 'object' && 'schema' in raw && raw.schema !== RUN_SCHEMA) {
    throw new UserError(`${file} has schema ${JSON.stringify(raw.schema)}; this cutover reads ${RUN_SCHEMA}`);
  }
  const parsed = schema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const lines = formatIssues(parsed.error.issues);
    throw new UserError(`${file} is not a valid run record: ${lines.slice(0, 5).join('; ')}`, {
      details: lines.slice(5),
    });
  }
  return parsed.data;
}

/** Rebuilds a record from the event stream; a torn last line (a kill mid-write) is skipped and noted. */
export function rebuildFromEvents(file: string): RunRecord {
  const lines = readFileSync(file, 'utf8').split('\n');
  const notes: string[] = [];
  let record: RunRecord | undefined;
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      notes.push(`line ${index + 1} of ${EVENTS_FILE} is incomplete and was skipped`);
      return;
    }
    const parsed = runEventSchema.safeParse(event);
    if (!parsed.success) {
      notes.push(`line ${index + 1} of ${EVENTS_FILE} is not a known event and was skipped`);
      return;
    }
    const e = parsed.data;
    if (e.type === 'run-start')
      record = { schema: RUN_SCHEMA, ...e.run, status: 'running', checks: [], evidence: [], gates: [] };
    else if (!record) notes.push(`line ${index + 1} comes before the run started and was skipped`);
    else if (e.type === 'check') record.checks.push(e.check);
    else if (e.type === 'evidence') record.evidence.push(e.evidence);
    else if (e.type === 'gate') record.gates.push(e.gate);
    else if (e.type === 'suite-end') record.suiteEnds = [...(record.suiteEnds ?? []), e.end];
    else if (e.type === 'series-point') {
      record.series ??= [];
      addSeriesPoint(record.series, e.series, e.point);
    } else {
      record.status = e.status;
      record.finishedAt = e.at;
      if (e.verdict) record.verdict = e.verdict;
      if (e.verdictReason) record.verdictReason = e.verdictReason;
    }
  });
  if (!record) throw new UserError(`${file} holds no run-start event: not a cutover run`);
  if (record.status === 'running') {
    record.status = 'interrupted';
    notes.push('the run ended without finishing (killed?): this is what it had recorded');
  }
  return { ...record, partial: true, notes };
}

/** A run folder's run.json read against `schema`, or, without one, the record its events rebuild. */
function readRunAs<T>(dir: string, schema: z.ZodType<T>): T | RunRecord {
  const runFile = join(dir, RUN_FILE);
  if (existsSync(runFile)) return parseRecordFile(runFile, schema);
  return rebuildFromEvents(join(dir, EVENTS_FILE));
}

export function readRun(dir: string): RunRecord {
  return readRunAs(dir, runRecordSchema);
}

/** What history needs of a run (runSummarySchema): the rest of run.json is not validated. */
export function readRunSummary(dir: string): RunSummary {
  return readRunAs(dir, runSummarySchema);
}

/** What `cutover status` needs of a run (runGatesSchema): its gate results in full, not its evidence. */
export function readRunGates(dir: string): RunGatesRecord {
  return readRunAs(dir, runGatesSchema);
}

/**
 * Every run folder under reportsPath, newest first. Ids sort by time to the second; two runs started in
 * the same second (a gate right after a run, as CI does) are ordered by the start time they recorded,
 * to the millisecond — their ids' random suffixes say nothing of order, and `gate` without `--run`
 * judges the newest.
 */
export function listRunDirs(reportsPath: string): string[] {
  if (!existsSync(reportsPath)) return [];
  const dirs = readdirSync(reportsPath, { withFileTypes: true })
    .filter(
      (d) =>
        d.isDirectory() &&
        (existsSync(join(reportsPath, d.name, RUN_FILE)) ||
          existsSync(join(reportsPath, d.name, EVENTS_FILE))),
    )
    .map((d) => d.name);
  const started = new Map<string, string>();
  const startOf = (name: string) => {
    let at = started.get(name);
    if (at === undefined) {
      at = recordedStart(join(reportsPath, name));
      started.set(name, at);
    }
    return at;
  };
  const second = (name: string) => name.slice(0, 15); // YYYYMMDD-HHMMSS
  return dirs
    .sort((a, b) => {
      if (second(a) !== second(b)) return second(a) < second(b) ? 1 : -1;
      const sa = startOf(a);
      const sb = startOf(b);
      if (sa !== sb) return sa < sb ? 1 : -1;
      return a < b ? 1 : -1;
    })
    .map((name) => join(reportsPath, name));
}

/** When a run started, as it recorded it (ISO, ms); '' when it cannot be read. */
function recordedStart(dir: string): string {
  try {
    // The first line of events.jsonl is the run-start event; its `at` comes first in the line.
    const events = join(dir, EVENTS_FILE);
    if (existsSync(events)) {
      const fd = openSync(events, 'r');
      const buf = Buffer.alloc(4096);
      let n = 0;
      try {
        n = readSync(fd, buf, 0, buf.length, 0);
      } finally {
        closeSync(fd);
      }
      const head = buf.toString('utf8', 0, n);
      const at = /"at":"([^"]+)"/.exec(head)?.[1];
      if (at) return at;
    }
    const run = JSON.parse(readFileSync(join(dir, RUN_FILE), 'utf8')) as { startedAt?: unknown };
    return typeof run.startedAt === 'string' ? run.startedAt : '';
  } catch {
    return '';
  }
}
