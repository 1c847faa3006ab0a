// Why one of the user's own files (config, gates, scenarios) could not be imported, in one line for a
// UserError. Kept apart from user-modules.ts so the load threads can use it without importing jiti.
import { relative } from 'node:path';

/**
 * Why a user module could not be loaded, in one line. A missing import is named with the file that
 * imported it (Node's "Require stack:" lists that file on lines of its own, which a one-line message
 * would leave dangling): `cannot find module './nope.js', imported by cutover.config.ts`. A syntax
 * error keeps jiti's location line (`… at file.ts:2:1`); anything else keeps its first line.
 */
export function moduleLoadError(error: unknown, cwd: string): string {
  if (!(error instanceof Error)) return String(error);
  const lines = error.message
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
    // CommonJS-style (jiti): "Cannot find module './x'" with a requireStack, innermost importer first;
    // native ESM: "Cannot find module '/abs/x' imported from /abs/importer".
    const m = /Cannot find (?:module|package) '([^']+)'(?: imported from (.+))?/.exec(lines[0] ?? '');
    if (m) {
      const stack = (error as { requireStack?: unknown }).requireStack;
      const importers = Array.isArray(stack)
        ? stack.filter((s): s is string => typeof s === 'string')
        : m[2]
          ? [m[2]]
          : [];
      const shown = (file: string) => relative(cwd, file.replace(/^file:\/\//, '')) || file;
      const missing = m[1]!.startsWith('/') ? shown(m[1]!) : m[1]!;
      return `cannot find module '${missing}'${importers.map((f) => `, imported by ${shown(f)}`).join('')}`;
    }
  }
  return lines
    .filter((l) => l !== 'Require stack:' && !l.startsWith('- '))
    .slice(0, 2)
    .join(' at ');
}
