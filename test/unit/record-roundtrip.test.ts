// Property: whatever a run records reads back with the same meaning — through the real RunRecorder and
// reader, from run.json and (run.json deleted, as after a kill) from events.jsonl; and a recorded
// baseline through the real baseline store. "The same meaning" is the record as JSON says it: a key
// whose value is undefined is absent, a number that is not finite is null (see `meaning`).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { BASELINE_SCHEMA, type Baseline } from '../../src/baseline/format.js';
import { baselineFromRun } from '../../src/baseline/record.js';
import { readBaseline, writeBaseline } from '../../src/baseline/store.js';
import type { ResolvedConfig } from '../../src/config/load.js';
import { readRun } from '../../src/record/reader.js';
import { RUN_FILE, RunRecorder } from '../../src/record/recorder.js';
import { type RunRecord, runRecordSchema } from '../../src/record/run-schema.js';
import {
  anyNumber,
  checkResult,
  evidence,
  key,
  recordedRun,
  runMeta,
  text,
} from '../helpers/record-arbitraries.js';

const root = mkdtempSync(join(tmpdir(), 'cutover-roundtrip-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let runs = 0;

/**
 * What a record means: what JSON can say of it. A key holding undefined is dropped (JSON has no
 * undefined), NaN and ±Infinity are null (JSON has no such numbers; the reader gives NaN back where
 * the model's field is a plain number, null where it allows null), -0 is 0. That what is read has the
 * model's types (NaN, not null, in a `number`) the schemas' output types say, which are the model's
 * types (inferred from core's schemas); 'a figure that is not a finite number' shows one.
 */
const meaning = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

type RecordedRun = typeof recordedRun extends fc.Arbitrary<infer T> ? T : never;

function record(run: RecordedRun): RunRecorder {
  const r = RunRecorder.start(root, { id: `run-${++runs}`, ...run.meta });
  for (const call of run.calls) {
    if ('check' in call) r.check(call.check);
    else if ('evidence' in call) r.evidence(call.evidence);
    else if ('gate' in call) r.gate(call.gate);
    else if ('suiteEnd' in call) r.suiteEnd(call.suiteEnd);
    else r.seriesPoint(call.series, call.point);
  }
  if (run.end)
    r.finish(run.end.status, new Date('2026-11-28T04:00:00.000Z'), run.end.verdict, run.end.verdictReason);
  return r;
}

/** The run read from run.json, then (run.json deleted) rebuilt from events.jsonl. */
function readBothWays(dir: string): RunRecord[] {
  const fromRunJson = readRun(dir);
  rmSync(join(dir, RUN_FILE));
  return [fromRunJson, readRun(dir)];
}

describe('a run record round-trips', () => {
  it('through run.json and, without it, through events.jsonl', () => {
    fc.assert(
      fc.property(recordedRun, (run) => {
        const recorder = record(run);
        const written = structuredClone(recorder.snapshot);
        if (run.end) expect(meaning(readRun(recorder.dir))).toEqual(meaning(written));
        rmSync(join(recorder.dir, RUN_FILE), { force: true });
        const rebuilt = readRun(recorder.dir);
        const killed = run.end
          ? { notes: [] }
          : {
              status: 'interrupted',
              notes: ['the run ended without finishing (killed?): this is what it had recorded'],
            };
        expect(meaning(rebuilt)).toEqual(meaning({ ...written, ...killed, partial: true }));
        rmSync(recorder.dir, { recursive: true });
      }),
      { numRuns: 150 },
    );
  });

  it('read back, it writes the same run.json again (a gate over a run writes what it read)', () => {
    fc.assert(
      fc.property(recordedRun, (run) => {
        const recorder = record({ ...run, end: run.end ?? { status: 'completed' } });
        const first = readRun(recorder.dir);
        writeFileSync(join(recorder.dir, RUN_FILE), JSON.stringify(first));
        expect(meaning(readRun(recorder.dir))).toEqual(meaning(first));
        rmSync(recorder.dir, { recursive: true });
      }),
      { numRuns: 50 },
    );
  });
});

describe('a recorded baseline round-trips through the baseline store', () => {
  const config = { rootDir: root } as ResolvedConfig;
  const baseline: fc.Arbitrary<Baseline> = fc.record({
    schema: fc.constant(BASELINE_SCHEMA),
    name: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,12}$/),
    recordedAt: text,
    fromRun: text,
    runStartedAt: text,
    tool: fc.record({ name: text, version: text, node: text }),
    config: fc.record({ project: text, file: text }),
    environment: text,
    scenarios: fc.array(text, { maxLength: 3 }),
    profile: fc.dictionary(key, fc.dictionary(key, anyNumber, { maxKeys: 3 }), { maxKeys: 3 }),
    evidence: fc.array(evidence, { maxLength: 6 }),
    checks: fc.array(checkResult, { maxLength: 4 }),
    noise: fc.array(fc.record({ scenario: text, step: text, paths: fc.array(text, { maxLength: 3 }) }), {
      maxLength: 2,
    }),
  });

  it('as generated, with every evidence kind', () => {
    fc.assert(
      fc.property(baseline, (b) => {
        writeBaseline(config, b);
        expect(meaning(readBaseline(config, b.name, root))).toEqual(meaning(b));
      }),
      { numRuns: 100 },
    );
  });

  it('as `baseline record` builds it from a run read back', () => {
    fc.assert(
      fc.property(recordedRun, fc.constantFrom('baseline', 'target'), (run, environment) => {
        const recorder = record({ ...run, end: run.end ?? { status: 'completed' } });
        const b = baselineFromRun(readRun(recorder.dir), 'from-run', new Date(), environment);
        writeBaseline(config, b);
        expect(meaning(readBaseline(config, 'from-run', root))).toEqual(meaning(b));
        rmSync(recorder.dir, { recursive: true });
      }),
      { numRuns: 50 },
    );
  });
});

describe('what JSON cannot say', () => {
  it('a parity difference without a target (missing) or baseline (extra) value reads back', () => {
    const r = RunRecorder.start(root, { id: `run-${++runs}`, ...fc.sample(runMeta, 1)[0]! });
    r.evidence({
      kind: 'parity',
      suite: 'integration',
      environment: 'target',
      baseline: 'baseline',
      scenario: 'orders',
      step: 'read order',
      endpoint: 'GET /orders/{id}',
      compared: 1,
      equal: 0,
      differences: [
        { path: 'total', kind: 'missing', baseline: 25, target: undefined },
        { path: 'note', kind: 'extra', baseline: undefined, target: 'x' },
      ],
      noise: [],
      at: '2026-11-28T03:00:00.000Z',
    });
    r.finish('completed', new Date(), 'NO-GO');
    for (const read of readBothWays(r.dir))
      expect(read.evidence[0]).toMatchObject({
        differences: [
          { path: 'total', kind: 'missing', baseline: 25 },
          { path: 'note', kind: 'extra', target: 'x' },
        ],
      });
  });

  it('a figure that is not a finite number reads back as NaN, a number still, where the model says number', () => {
    const r = RunRecorder.start(root, { id: `run-${++runs}`, ...fc.sample(runMeta, 1)[0]! });
    r.gate({
      id: 'g',
      title: 'g',
      verdict: 'INCONCLUSIVE',
      summary: '',
      criteria: [
        {
          id: 'perf.p95',
          title: 'p95',
          status: 'INCONCLUSIVE',
          reason: 'no samples',
          blocking: true,
          value: Number.NaN,
          n: Number.POSITIVE_INFINITY,
          groups: [{ key: 'GET /', status: 'INCONCLUSIVE', reason: '', target: Number.NaN, baseline: 3 }],
        },
      ],
    });
    r.finish('completed', new Date(), 'INCONCLUSIVE');
    for (const read of readBothWays(r.dir)) {
      const criterion = read.gates[0]!.criteria[0]!;
      expect(criterion.value).toBeNull(); // `number | null`: null says "no value"
      expect(criterion.n).toBeNaN();
      expect(criterion.groups![0]!.target).toBeNaN();
      expect(criterion.groups![0]!.baseline).toBe(3);
    }
  });

  it('an object key __proto__ is dropped on reading (zod does not copy it), and the record still reads', () => {
    const r = RunRecorder.start(root, { id: `run-${++runs}`, ...fc.sample(runMeta, 1)[0]! });
    const data = JSON.parse('{"__proto__": 1, "status": 200}');
    r.check({
      suite: 's',
      environment: 'e',
      service: 'a',
      check: 'c',
      status: 'pass',
      reason: '',
      data,
      at: '',
    });
    r.finish('completed', new Date());
    const read = readRun(r.dir);
    expect(read.checks[0]!.data).toEqual({ status: 200 });
    expect(Object.getPrototypeOf(read.checks[0]!.data)).toBe(Object.prototype);
  });
});

describe('the generators', () => {
  it('produce every field the record schema knows (so a new field is generated too)', () => {
    // The model's types are inferred from the schemas the record holds (schema-model-link.test.ts), so
    // covering the schema's keys covers the model's.
    const seen = new Set<string>();
    const walk = (value: unknown, path: string) => {
      if (value === undefined) return;
      seen.add(path);
      if (Array.isArray(value)) for (const v of value) walk(v, `${path}[]`);
      else if (value && typeof value === 'object')
        for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
    };
    for (const run of fc.sample(recordedRun, 400)) {
      const recorder = record({ ...run, end: run.end ?? { status: 'completed' } });
      walk(recorder.snapshot, '');
      rmSync(recorder.dir, { recursive: true });
    }
    const expected = new Set<string>();
    schemaPaths(runRecordSchema, '', expected);
    // partial and notes are the reader's, evidenceGaps the gate command's (a record it writes whole as
    // run.json, never through the recorder), push the CLI's after the run is recorded (src/cli/push.ts):
    // none is a recorder's input.
    const missed = [...expected].filter(
      (p) => !seen.has(p) && !/\.(partial|notes|evidenceGaps)$/.test(p) && !/^\.push(\.|$)/.test(p),
    );
    expect(missed).toEqual([]);
  });
});

/** Every object key path a zod schema describes (records and unknowns are leaves). */
function schemaPaths(schema: unknown, path: string, out: Set<string>): void {
  const def = (schema as { _zod: { def: Record<string, unknown> } })._zod.def;
  switch (def.type) {
    case 'object':
      out.add(path);
      for (const [k, s] of Object.entries(def.shape as Record<string, unknown>)) {
        out.add(`${path}.${k}`);
        schemaPaths(s, `${path}.${k}`, out);
      }
      return;
    case 'array':
      schemaPaths(def.element, `${path}[]`, out);
      return;
    case 'union':
      for (const o of def.options as unknown[]) schemaPaths(o, path, out);
      return;
    case 'optional':
    case 'nullable':
    case 'default':
      schemaPaths(def.innerType, path, out);
      return;
    case 'pipe':
      schemaPaths(def.in, path, out);
      return;
  }
}
