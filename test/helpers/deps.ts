// The import rules of the project's folders, checked (in the manner of Playwright's DEPS.list and its
// utils/check_deps.js). Each checked top-level folder — every folder of src/, and sim/, suites/, gates/ —
// has a DEPS.list naming what its files may import beyond their own folder:
//
//   # a comment
//   ../core/**              every file below src/core
//   ../config/define.ts     one file
//   "zod"                   a package (a bare import); without any package line, packages are free
//   [run.ts]                the lines below apply to run.ts only
//
// Paths are relative to the DEPS.list. A file may always import from its own top-level folder. Type-only
// imports count like any other: a type from the wrong layer couples the layers just the same.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';

export interface Violation {
  file: string;
  line: number;
  specifier: string;
  rule: string;
}

interface DepsList {
  file: string;
  dir: string;
  common: string[];
  perFile: Map<string, string[]>;
}

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s(?:[^'";]*?\sfrom\s)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(p);
    return /\.(ts|mts|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

function readDeps(file: string): DepsList {
  const deps: DepsList = { file, dir: dirname(file), common: [], perFile: new Map() };
  let section = deps.common;
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const head = /^\[(.+)\]$/.exec(line);
    if (head) {
      section = [];
      deps.perFile.set(head[1]!, section);
    } else section.push(line);
  }
  return deps;
}

/** `**` any path, `*` any name within a folder. */
function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('**')
    .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

/** The file an import names, with TypeScript's `.js` for `.ts` (and a folder's index) resolved. */
function resolveImport(from: string, specifier: string): string {
  const base = normalize(resolve(dirname(from), specifier));
  for (const candidate of [
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.mjs$/, '.mts'),
    base,
    `${base}.ts`,
    join(base, 'index.ts'),
  ])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return base;
}

/** Checks every source file under each of `roots` (absolute paths of the checked top-level folders). */
export function checkDeps(repo: string, roots: readonly string[]): Violation[] {
  const out: Violation[] = [];
  for (const root of roots) {
    const depsFile = join(root, 'DEPS.list');
    const deps = existsSync(depsFile) ? readDeps(depsFile) : undefined;
    for (const file of sourceFiles(root)) {
      const text = readFileSync(file, 'utf8');
      const local = relative(root, file);
      const allowed = [...(deps?.common ?? []), ...(deps?.perFile.get(local) ?? [])];
      const packages = allowed.filter((a) => a.startsWith('"')).map((a) => a.slice(1, -1));
      const paths = allowed.filter((a) => !a.startsWith('"')).map(globToRegExp);
      const rule = deps ? relative(repo, deps.file) : `${relative(repo, root)}/DEPS.list (missing)`;
      for (const m of text.matchAll(IMPORT)) {
        const specifier = (m[1] ?? m[2])!;
        const line = text.slice(0, m.index).split('\n').length;
        if (specifier.startsWith('.')) {
          const target = resolveImport(file, specifier);
          if (!relative(root, target).startsWith('..')) continue;
          const fromDeps = relative(deps?.dir ?? root, target);
          if (!paths.some((p) => p.test(fromDeps)))
            out.push({ file: relative(repo, file), line, specifier, rule });
        } else if (packages.length > 0) {
          const name = specifier.startsWith('node:')
            ? 'node:'
            : specifier
                .split('/')
                .slice(0, specifier.startsWith('@') ? 2 : 1)
                .join('/');
          if (!packages.includes(name) && !packages.includes(specifier))
            out.push({ file: relative(repo, file), line, specifier, rule });
        }
      }
    }
  }
  return out;
}

/** The folders checked: each folder of src/, and the top-level folders that must act as a user's project. */
export function checkedRoots(repo: string): string[] {
  const src = join(repo, 'src');
  return [
    ...readdirSync(src)
      .map((n) => join(src, n))
      .filter((p) => statSync(p).isDirectory()),
    ...['sim', 'suites', 'gates'].map((n) => join(repo, n)),
  ];
}

/**
 * Whether a file `asIfIn` a folder may import `target` by that folder's DEPS.list (a file of the folder
 * itself always may): for code written to live there, checked before it moves in (the suite recipe).
 */
export function allowedBy(depsFile: string, asIfIn: string, target: string): boolean {
  const deps = readDeps(depsFile);
  const root = dirname(depsFile);
  // The folder's own files (src/suites/suite.ts for a suite) are always allowed.
  if (!relative(root, target).startsWith('..') || !relative(asIfIn, target).startsWith('..')) return true;
  return deps.common
    .filter((a) => !a.startsWith('"'))
    .some((a) => globToRegExp(a).test(relative(root, target)));
}

/** The files a source file imports by relative path, resolved as TypeScript resolves them. */
export function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)]
    .map((m) => (m[1] ?? m[2])!)
    .filter((s) => s.startsWith('.'))
    .map((s) => resolveImport(file, s));
}
