// The architecture rules, checked: the core does no I/O, and only the CLI touches process.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
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
