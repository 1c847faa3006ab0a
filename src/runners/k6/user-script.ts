// A team's existing k6 script (`cutover perf --k6-script FILE.{js,ts}`), run as written on each
// environment: bundled by esbuild (TypeScript and local imports resolved, k6 modules and remote jslib
// URLs left to k6) behind a small wrapper that re-exports everything the script exports — default,
// setup, teardown, handleSummary, its scenarios' exec functions — and replaces only `options` by the
// script's own options cut to the A/B block and given the environment's pinned hosts (user-options.ts).
// Its `k6/http` gets the configured timeout and the config's hosts (user-http.ts). The environment
// reaches it as `__ENV.CUTOVER_BASE_URL` and `__ENV.CUTOVER_ENV`. Its results are read from k6's JSON
// output, grouped by k6's `name` tag (the URL unless the script names it), as k6 users expect.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { build, type Plugin } from 'esbuild';
import { UserError } from '../../core/errors.js';
import type { BlockJob, ScenarioModule, UserK6Script } from '../load/engine-input.js';
import type { SliceResult } from '../load/recorder.js';
import type { BundledScript } from './build.js';
import { K6Accumulator, parseLine, readK6Json } from './parse.js';
import { scenarioSpan, scenariosOf, WINDOWABLE } from './user-options.js';

const REMOTE = /^https?:\/\//;
const K6_OR_REMOTE = /^(k6(\/.*)?|https?:\/\/.*)$/;
const EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];

/** A module of this package by its path from here: built JavaScript, or its TypeScript source (tests). */
function ownModule(stem: string): string {
  const base = fileURLToPath(new URL(stem, import.meta.url));
  for (const ext of ['.js', '.ts']) if (existsSync(base + ext)) return base + ext;
  throw new Error(`${base}.js is missing from this installation`);
}

type EsbuildError = { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> };

function buildProblem(file: string, error: unknown): UserError {
  const errors = (error as EsbuildError).errors;
  if (!errors) throw error;
  const what = errors
    .map((e) => `${e.text}${e.location ? ` (${e.location.file}:${e.location.line})` : ''}`)
    .join('; ');
  return new UserError(`--k6-script ${file}: cannot be bundled: ${what}`, {
    hint: 'a k6 script may import k6 modules, remote modules by URL (jslib.k6.io) and its own files',
  });
}

/**
 * k6 and remote modules stand-ins for reading the options in Node: every name is a function that
 * returns itself, so init code such as `new SharedArray(...)` or `new Counter('x')` runs.
 */
const stubPlugin: Plugin = {
  name: 'k6-stubs',
  setup(b) {
    b.onResolve({ filter: K6_OR_REMOTE }, (a) => ({ path: a.path, namespace: 'k6-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'k6-stub' }, () => ({
      contents:
        'const f = function () { return s; };\n' +
        'const get = (t, k) => (k === "__esModule" ? false : k === Symbol.toPrimitive ? () => "" : k === Symbol.iterator ? [][Symbol.iterator] : s);\n' +
        // esbuild's interop copies a module into an object whose prototype is the module's: the
        // prototype answers every named import.
        'const proto = new Proxy({}, { get });\n' +
        'const s = new Proxy(f, { get, apply: () => s, construct: () => s, getPrototypeOf: () => proto });\n' +
        'module.exports = s;\n',
      loader: 'js',
    }));
  },
};

/**
 * Reads a user's k6 script: checks that it bundles, lists its exports, and computes its `options` by
 * running its init code in a sandbox with k6's modules stubbed (as `k6 inspect` reads them), with
 * `env` as `__ENV`. Every problem is the user's to fix (exit 2, naming the file).
 */
export async function readUserScript(
  path: string,
  env: Record<string, string>,
): Promise<Omit<UserK6Script, 'allowedHosts'>> {
  const file = resolve(path);
  if (!existsSync(file)) throw new UserError(`--k6-script ${path}: no such file`);
  if (!EXTENSIONS.includes(extname(file)))
    throw new UserError(`--k6-script ${path}: expected a .js or .ts k6 script`);
  let exports: string[];
  let code: string;
  try {
    const esm = await build({
      entryPoints: [file],
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2020',
      external: ['k6', 'k6/*', 'https://*', 'http://*'],
      write: false,
      metafile: true,
      outdir: dirname(file),
      logLevel: 'silent',
    });
    exports = Object.values(esm.metafile.outputs).flatMap((o) => o.exports);
    const cjs = await build({
      entryPoints: [file],
      bundle: true,
      format: 'cjs',
      platform: 'neutral',
      target: 'es2020',
      plugins: [stubPlugin],
      write: false,
      outdir: dirname(file),
      logLevel: 'silent',
    });
    code = cjs.outputFiles[0]!.text;
  } catch (error) {
    throw buildProblem(path, error);
  }
  if (!exports.includes('default') && !exports.includes('options'))
    throw new UserError(
      `--k6-script ${path}: exports neither a default function nor options; is this a k6 script?`,
    );
  const module = { exports: {} as Record<string, unknown> };
  try {
    runInNewContext(
      code,
      {
        module,
        exports: module.exports,
        __ENV: { ...env },
        __VU: 0,
        __ITER: 0,
        console: { log() {}, info() {}, warn() {}, error() {}, debug() {} },
        // k6's open() in the init context: a file beside the script.
        open: (p: string) => readFileSync(resolve(dirname(file), p), 'utf8'),
      },
      { timeout: 5000, filename: basename(file) },
    );
  } catch (error) {
    throw new UserError(
      `--k6-script ${path}: its init code failed while reading its options: ${(error as Error).message}`,
    );
  }
  const options = (module.exports.options ?? {}) as Record<string, unknown>;
  let scenarios: ReturnType<typeof scenariosOf>;
  try {
    scenarios = scenariosOf(options);
    for (const [name, sc] of Object.entries(scenarios)) {
      if (typeof sc?.executor !== 'string') throw new Error(`scenario ${name} has no executor`);
      const exec = (sc.exec as string | undefined) ?? 'default';
      if (!exports.includes(exec))
        throw new Error(`scenario ${name} runs ${exec}, which the script does not export`);
      scenarioSpan(sc); // k6's own checks of the executor's options
    }
  } catch (error) {
    throw new UserError(`--k6-script ${path}: options: ${(error as Error).message}`);
  }
  const windowable = Object.values(scenarios).every((sc) => WINDOWABLE.includes(sc.executor));
  return { file, exports, options, windowable };
}

/**
 * The bundle k6 runs: the user's script behind a wrapper that re-exports it and replaces `options`
 * (cut to the block in `CUTOVER_WINDOW`, pinned hosts added), with `k6/http` pointed at user-http.ts.
 */
export async function bundleUserScript(module: ScenarioModule): Promise<BundledScript> {
  const script = module.k6Script!;
  const name = module.scenario.name;
  const userHttp = ownModule('./user-http');
  const entry = [
    `import * as user from ${JSON.stringify(script.file)};`,
    `import { cutoverOptions } from ${JSON.stringify(ownModule('./user-options'))};`,
    `export * from ${JSON.stringify(script.file)};`,
    ...(script.exports.includes('default') ? ['export default user.default;'] : []),
    'export const options = cutoverOptions(user.options, __ENV);',
    '',
  ].join('\n');
  // k6's modules and remote URLs stay k6's to load; the script's `k6/http` is the wrapper's.
  const k6Plugin: Plugin = {
    name: 'k6-modules',
    setup(b) {
      b.onResolve({ filter: K6_OR_REMOTE }, (a) =>
        a.path === 'k6/http' && a.importer !== userHttp
          ? { path: userHttp }
          : { path: a.path, external: true },
      );
    },
  };
  let result: Awaited<ReturnType<typeof build<{ write: false; metafile: true }>>>;
  try {
    result = await build({
      stdin: {
        contents: entry,
        resolveDir: dirname(script.file),
        sourcefile: `${name}.entry.js`,
        loader: 'js',
      },
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2020',
      plugins: [k6Plugin],
      write: false,
      metafile: true,
      outfile: `${name}.js`,
      legalComments: 'none',
      logLevel: 'silent',
      banner: {
        js: `// ${basename(script.file)}, bundled by Cutover (cutover perf --k6-script) with its options cut to each A/B block.`,
      },
    });
  } catch (error) {
    throw buildProblem(script.file, error);
  }
  const out = result.outputFiles.find((f) => f.path.endsWith('.js'))!;
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
  return {
    scenario: name,
    text: out.text,
    bytes: out.contents.byteLength,
    imports: [...new Set(imports)].filter((p) => K6_OR_REMOTE.test(p) || REMOTE.test(p)).sort(),
  };
}

/** What a user's script gets besides the base URL: the environment's name, the block, the config's hosts. */
export function userScriptEnv(job: BlockJob): Record<string, string> {
  const script = job.planned.module?.k6Script;
  if (!script) return {};
  return {
    CUTOVER_ENV: job.environment,
    ...(script.windowable && job.window
      ? { CUTOVER_WINDOW: `${Math.round(job.window.fromMs)}:${Math.round(job.window.toMs)}` }
      : {}),
    CUTOVER_ALLOWED_HOSTS: (script.allowedHosts[job.environment] ?? []).join(','),
  };
}

/**
 * Every point of the script's run, whatever k6 scenario it came from, counted under the script's name:
 * the k6 scenario stays in `k6_scenario`.
 */
function retag(p: NonNullable<ReturnType<typeof parseLine>>, name: string) {
  return { ...p, tags: { ...p.tags, k6_scenario: p.tags.scenario ?? '', scenario: name } };
}

/** A user script's k6 JSON output file (`--out json`), streamed: k6's reader, its points retagged. */
export function readUserScriptJson(
  file: string,
  name: string,
  environment: string,
  onPoint?: (p: NonNullable<ReturnType<typeof parseLine>>) => void,
): Promise<SliceResult> {
  return readK6Json(file, name, environment, onPoint, (p) => retag(p, name));
}

/** A user script's output from a runner pod's log (k6's own text lines skipped). */
export function readUserScriptText(text: string, name: string, environment: string): SliceResult {
  const acc = new K6Accumulator(name, environment);
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    const p = parseLine(line);
    if (p) acc.add(retag(p, name));
  }
  return acc.finish();
}
