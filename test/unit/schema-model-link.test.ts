// The run record's zod schemas and the model's TypeScript interfaces cannot drift apart silently: a
// field added on one side only fails the build (tsc) at the assertions in src/record/run-schema.ts.
// Checked here by compiling run-schema.ts as tsc does, with a field added to an interface and another
// to a schema, in memory.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/project.js';

const SCHEMA_FILE = join(ROOT, 'src/record/run-schema.ts');
const MODEL_FILE = join(ROOT, 'src/core/model.ts');

/** tsc's errors in run-schema.ts, with some files' text replaced. */
function schemaErrors(replace: Record<string, (text: string) => string>): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  )!;
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => {
    const text = readFile(file);
    const change = replace[ts.sys.resolvePath(file)];
    return text !== undefined && change ? change(text) : text;
  };
  const program = ts.createProgram([SCHEMA_FILE], { ...config.options, noEmit: true }, host);
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(SCHEMA_FILE))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

const edit = (text: string, from: string, to: string) => {
  expect(text).toContain(from);
  return text.replace(from, to);
};

describe('the record schemas mirror the model', () => {
  // As they are, they compile: `npm run build` (tsc) checks that. This compiles them once, edited.
  it('fail to compile when an interface or a schema gains a field the other lacks', () => {
    expect(readFileSync(MODEL_FILE, 'utf8')).toContain('export interface CheckResult {');
    const errors = schemaErrors({
      [MODEL_FILE]: (t) =>
        edit(t, 'export interface CheckResult {', 'export interface CheckResult {\n  retries?: number;'),
      [SCHEMA_FILE]: (t) =>
        edit(
          t,
          '  decides: z.boolean().optional(),\n',
          '  decides: z.boolean().optional(),\n  owner: z.string(),\n',
        ),
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /schemaOnly: never; modelOnly: "retries"; }' does not satisfy the constraint 'true'/,
        ),
        expect.stringMatching(
          /schemaOnly: "owner"; modelOnly: never; }' does not satisfy the constraint 'true'/,
        ),
      ]),
    );
    expect(errors).toHaveLength(2);
  });
});
