// The architecture rules, checked: the import rules of each folder (DEPS.list), the core does no I/O, and
// only the CLI touches process.
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDeps, checkedRoots } from '../helpers/deps.js';
import { ROOT } from '../helpers/project.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const IO_MODULES =
  /from ['"](node:)?(fs|fs\/promises|net|http|https|http2|tls|dgram|dns|child_process|worker_threads|cluster|readline|process)['"]|from ['"](undici|p-limit|jiti|commander)['"]/;

describe('architecture', () => {
  it('keeps every folder to its import rules (DEPS.list)', () => {
    const violations = checkDeps(ROOT, checkedRoots(ROOT)).map(
      (v) => `${v.file}:${v.line} imports ${v.specifier}, which ${v.rule} does not allow`,
    );
    expect(violations).toEqual([]);
  });

  it('names the file, the import and the rule it broke for a wrong-direction import', () => {
    // A copy of the layers with one planted import each way the rules forbid: a runner reaching into a
    // suite, the engine into a renderer, the simulator into the source, the platform's data into core.
    const copy = mkdtempSync(join(tmpdir(), 'cutover-deps-'));
    try {
      for (const dir of ['src', 'sim', 'suites', 'gates'])
        cpSync(join(ROOT, dir), join(copy, dir), { recursive: true });
      const plant = (file: string, line: string) =>
        writeFileSync(join(copy, file), `${line}\n${readFileSync(join(copy, file), 'utf8')}`);
      plant('src/runners/http/probe.ts', "import { smokeSuite } from '../../suites/smoke/run.js';");
      plant('src/engine/execute.ts', "import type { Screen } from '../report/console.js';");
      plant('sim/index.ts', "import { parseGate } from '../src/core/gates/parse.js';");
      plant('gates/wave.ts', "import { parseGate } from '../src/core/gates/parse.js';");
      mkdirSync(join(copy, 'src/core/extra'), { recursive: true });
      writeFileSync(
        join(copy, 'src/core/extra/leak.ts'),
        "export { runSmoke } from '../../suites/smoke/run.js';\n",
      );
      const found = checkDeps(copy, checkedRoots(copy)).map((v) => `${v.file} ${v.specifier} ${v.rule}`);
      expect(found).toEqual(
        expect.arrayContaining([
          'src/runners/http/probe.ts ../../suites/smoke/run.js src/runners/DEPS.list',
          'src/engine/execute.ts ../report/console.js src/engine/DEPS.list',
          'sim/index.ts ../src/core/gates/parse.js sim/DEPS.list',
          'gates/wave.ts ../src/core/gates/parse.js gates/DEPS.list',
          'src/core/extra/leak.ts ../../suites/smoke/run.js src/core/DEPS.list',
        ]),
      );
      expect(found).toHaveLength(5);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('keeps src/core free of I/O, process, console and the clock', () => {
    const offenders: string[] = [];
    for (const file of files(join(ROOT, 'src/core'))) {
      const text = readFileSync(file, 'utf8');
      text.split('\n').forEach((line, i) => {
        if (/^\s*\/\//.test(line)) return;
        if (IO_MODULES.test(line) || /\bprocess\.|\bconsole\.|\bDate\.now\(|new Date\(\)/.test(line)) {
          offenders.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
        }
      });
    }
    expect(offenders).toEqual([]);
  });

  it('lets only src/cli exit the process or write to stdout', () => {
    const offenders = files(join(ROOT, 'src'))
      .filter((f) => !relative(ROOT, f).startsWith('src/cli/'))
      .filter((f) => /process\.(exit|stdout|stderr|argv)|console\./.test(readFileSync(f, 'utf8')))
      .map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  it('keeps renderers free of file writes', () => {
    const offenders = files(join(ROOT, 'src/report')).filter((f) =>
      /from ['"](node:)?fs/.test(readFileSync(f, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
