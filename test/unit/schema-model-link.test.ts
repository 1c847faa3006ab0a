// The run record's model is described once: as zod schemas in core (core/model.ts, core/evidence.ts,
// core/series.ts), from which the model's types are inferred, and which the run record, a recorded
// baseline and report.json read and publish it with (report.json adds core/success-criteria.ts's).
// Checked two ways: a field added to a schema is in the model's type, with its doc comment, and in the
// record's (compiled as tsc does, the schema edited in memory); and the record's and report's schemas
// hold core's own schema objects, not a copy that could drift from them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baselineSchema } from '../../src/baseline/format.js';
import {
  coverageEvidenceSchema,
  differenceKindSchema,
  evidenceSchema,
  findingEvidenceSchema,
  metricEvidenceSchema,
  parityDifferenceSchema,
  parityEvidenceSchema,
  severitySchema,
} from '../../src/core/evidence.js';
import { serviceInfoSchema } from '../../src/core/gates/input.js';
import {
  checkResultSchema,
  checkStatusSchema,
  criterionGroupSchema,
  criterionResultSchema,
  criterionStatusSchema,
  gateResultSchema,
  verdictSchema,
} from '../../src/core/model.js';
import { loadSeriesKeySchema, loadSeriesPointSchema, loadSeriesSchema } from '../../src/core/series.js';
import {
  evidenceStateSchema,
  openCriterionSchema,
  openKindSchema,
  successCriterionEvidenceSchema,
} from '../../src/core/success-criteria.js';
import { runEventSchema, runRecordSchema, runSummarySchema } from '../../src/record/run-schema.js';
import { gateReportSchema } from '../../src/report/gate-report.js';
import { ROOT } from '../helpers/project.js';

const MODEL_FILE = join(ROOT, 'src/core/model.ts');
const PROBE_FILE = join(ROOT, 'schema-model-probe.ts');

/** Code reading a field `retries` of a check, from the model's type and from a run record's. */
const PROBE = `import type { CheckResult } from './src/core/model.js';
import type { RunEvent, RunRecord } from './src/record/run-schema.js';
declare const check: CheckResult;
declare const record: RunRecord;
declare const event: Extract<RunEvent, { type: 'check' }>;
export const fromModel: number | undefined = check.retries;
export const fromRecord: number | undefined = record.checks[0]?.retries;
export const fromEvent: number | undefined = event.check.retries;
`;

/**
 * The probe compiled as tsc compiles the project, with model.ts's text replaceable in memory: `compile`
 * gives tsc's errors in the probe and what an editor shows for `check.retries`. One language service,
 * so a second compile reuses what did not change.
 */
function probeCompiler(): (model: string) => { errors: string[]; shown: string } {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  )!;
  let model = '';
  let version = 0;
  const text = (file: string) =>
    file === PROBE_FILE ? PROBE : file === MODEL_FILE ? model : ts.sys.readFile(file);
  const service = ts.createLanguageService({
    getScriptFileNames: () => [PROBE_FILE],
    getScriptVersion: (file) => (ts.sys.resolvePath(file) === MODEL_FILE ? String(version) : '0'),
    getScriptSnapshot: (file) => {
      const t = text(ts.sys.resolvePath(file));
      return t === undefined ? undefined : ts.ScriptSnapshot.fromString(t);
    },
    getCurrentDirectory: () => ROOT,
    getCompilationSettings: () => ({ ...parsed.options, noEmit: true }),
    getDefaultLibFileName: ts.getDefaultLibFilePath,
    fileExists: (file) => ts.sys.resolvePath(file) === PROBE_FILE || ts.sys.fileExists(file),
    readFile: (file) => text(ts.sys.resolvePath(file)),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  });
  return (given) => {
    model = given;
    version++;
    const errors = [
      ...service.getSyntacticDiagnostics(PROBE_FILE),
      ...service.getSemanticDiagnostics(PROBE_FILE),
    ].map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    const at = PROBE.indexOf('check.retries') + 'check.'.length;
    const info = service.getQuickInfoAtPosition(PROBE_FILE, at);
    return { errors, shown: ts.displayPartsToString(info?.documentation) };
  };
}

describe('the model is its schemas', () => {
  const model = readFileSync(MODEL_FILE, 'utf8');
  const anchor = '  /** ISO time the check finished. */\n';

  it('a field added to a schema is in the model type, with its doc comment, and in the record', () => {
    const compileProbe = probeCompiler();
    // Without the field the probe does not compile: it reads what is not there.
    expect(compileProbe(model).errors).toEqual([
      expect.stringMatching(/Property 'retries' does not exist/),
      expect.stringMatching(/Property 'retries' does not exist/),
      expect.stringMatching(/Property 'retries' does not exist/),
    ]);
    expect(model).toContain(anchor);
    const edited = model.replace(
      anchor,
      `  /** How often the check was tried before it settled. */\n  retries: figure.optional(),\n${anchor}`,
    );
    expect(compileProbe(edited)).toEqual({
      errors: [],
      shown: 'How often the check was tried before it settled.',
    });
  });
});

/** Every schema a zod schema is built of, itself included. */
function schemasIn(schema: unknown, out = new Set<unknown>()): Set<unknown> {
  if (out.has(schema)) return out;
  out.add(schema);
  const def = (schema as { _zod: { def: Record<string, unknown> } })._zod.def;
  const parts: unknown[] = [];
  switch (def.type) {
    case 'object':
      parts.push(...Object.values(def.shape as Record<string, unknown>));
      break;
    case 'array':
      parts.push(def.element);
      break;
    case 'union':
      parts.push(...(def.options as unknown[]));
      break;
    case 'record':
      parts.push(def.keyType, def.valueType);
      break;
    case 'pipe':
      parts.push(def.in, def.out);
      break;
    case 'optional':
    case 'nullable':
    case 'default':
      parts.push(def.innerType);
      break;
  }
  for (const p of parts) schemasIn(p, out);
  return out;
}

/** What tells a copy of a schema: an object's keys, an enum's values. */
function shapeOf(schema: unknown): string | undefined {
  const def = (schema as { _zod: { def: Record<string, unknown> } })._zod.def;
  if (def.type === 'object')
    return `object ${Object.keys(def.shape as object)
      .sort()
      .join(',')}`;
  if (def.type === 'enum')
    return `enum ${Object.keys(def.entries as object)
      .sort()
      .join(',')}`;
  return undefined;
}

const MODEL_SCHEMAS = {
  checkResultSchema,
  checkStatusSchema,
  criterionGroupSchema,
  criterionResultSchema,
  criterionStatusSchema,
  gateResultSchema,
  verdictSchema,
  metricEvidenceSchema,
  parityDifferenceSchema,
  differenceKindSchema,
  parityEvidenceSchema,
  findingEvidenceSchema,
  severitySchema,
  coverageEvidenceSchema,
  evidenceSchema,
  loadSeriesKeySchema,
  loadSeriesPointSchema,
  loadSeriesSchema,
  serviceInfoSchema,
};

/** What report.json adds of core's: how far the evidence goes toward each success criterion. */
const REPORT_SCHEMAS = {
  successCriterionEvidenceSchema,
  openCriterionSchema,
  evidenceStateSchema,
  openKindSchema,
};

const CORE_SCHEMAS = { ...MODEL_SCHEMAS, ...REPORT_SCHEMAS };

/** The schemas under `roots` that have a model schema's keys (or values) without being it. */
function copiesIn(roots: Record<string, unknown>): string[] {
  const model = new Map<string, string>();
  for (const [name, s] of Object.entries(CORE_SCHEMAS)) {
    const shape = shapeOf(s);
    if (shape) model.set(shape, name);
  }
  const copies: string[] = [];
  for (const [root, schema] of Object.entries(roots))
    for (const s of schemasIn(schema)) {
      const name = model.get(shapeOf(s) ?? '');
      if (name && s !== CORE_SCHEMAS[name as keyof typeof CORE_SCHEMAS])
        copies.push(`${root} holds a copy of ${name}`);
    }
  return copies;
}

describe('the record reads the model with the model’s own schemas', () => {
  it('holds every schema of the model itself: run.json and events.jsonl read each part with it', () => {
    const inRecord = new Set([...schemasIn(runRecordSchema), ...schemasIn(runEventSchema)]);
    const absent = Object.entries(MODEL_SCHEMAS)
      .filter(([, s]) => !inRecord.has(s))
      .map(([name]) => name);
    expect(absent).toEqual([]);
  });

  it('publishes in report.json the schemas of core it reports: gates, parity, findings, success criteria', () => {
    const inReport = schemasIn(gateReportSchema);
    const reported = {
      ...REPORT_SCHEMAS,
      gateResultSchema,
      verdictSchema,
      parityEvidenceSchema,
      findingEvidenceSchema,
    };
    const absent = Object.entries(reported)
      .filter(([, s]) => !inReport.has(s))
      .map(([name]) => name);
    expect(absent).toEqual([]);
  });

  it('holds no copy of one (the record, its summary, a baseline, report.json)', () => {
    expect(
      copiesIn({ runRecordSchema, runEventSchema, runSummarySchema, baselineSchema, gateReportSchema }),
    ).toEqual([]);
    // A schema written out again beside the model's — the twin this file guards against — is found.
    const twin = runRecordSchema.extend({
      checks: z.array(z.object({ ...checkResultSchema.shape })),
      verdict: z.enum(['GO', 'NO-GO', 'INCONCLUSIVE']).optional(),
    });
    expect(copiesIn({ twin })).toEqual([
      'twin holds a copy of checkResultSchema',
      'twin holds a copy of verdictSchema',
    ]);
  });
});
