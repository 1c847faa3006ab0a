// Loads what gates need from the project folder: gate definitions (gates/*.ts, one gate or a list of
// gates as the default export, imported through jiti like the config), sign-offs (gates/attestations/)
// and waivers (gates/waivers/). A project without gates of its own uses the built-in phase gates.
// Every problem is a UserError naming the file and the criterion.
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { ResolvedConfig } from '../config/load.js';
import { moduleLoadError } from '../config/module-errors.js';
import { importPackageModule, userModuleLoader } from '../config/user-modules.js';
import { UserError } from '../core/errors.js';
import type { GateSpec } from '../core/gates/define.js';
import type { Attestation, Waiver } from '../core/gates/input.js';
import { GateDefinitionError, type ParsedGate, parseGate } from '../core/gates/parse.js';
import { type GateSetup, SUITE_GATE_IDS } from './gates.js';

const GATE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

/** The folder this installation ships its gates in (source: gates/; built: dist/gates/). */
const BUILTIN_DIRS = [
  fileURLToPath(new URL('../../gates', import.meta.url)),
  fileURLToPath(new URL('../../../gates', import.meta.url)),
].filter(existsSync);

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

const isoDate = z
  .string()
  .refine((s) => Number.isFinite(Date.parse(s)), 'expected an ISO date such as 2026-11-20');

const attestationSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/)
    .optional(),
  by: z.string().min(1, 'who signed off'),
  date: isoDate,
  note: z.string().min(1, 'what was done'),
  expires: isoDate.optional(),
});

const waiverSchema = z.strictObject({
  criterion: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*$/,
      'expected GATE/CRITERION such as 3-rentguy/perf.p95',
    ),
  owner: z.string().min(1),
  reason: z.string().min(1),
  expires: isoDate,
});

function readJsonFiles<T>(
  dir: string,
  schema: z.ZodType<T>,
  what: string,
  cwd: string,
): { file: string; value: T }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      const shown = relative(cwd, file) || file;
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new UserError(`${what} ${shown} is not valid JSON: ${(error as Error).message}`);
      }
      const parsed = schema.safeParse(raw);
      if (!parsed.success)
        throw new UserError(`${what} ${shown} is invalid`, {
          details: parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`),
        });
      return { file: shown, value: parsed.data };
    });
}

function parseOrExplain(gate: GateSpec, file: string): ParsedGate {
  try {
    return parseGate(gate);
  } catch (error) {
    if (error instanceof GateDefinitionError)
      throw new UserError(`invalid gate in ${file}: ${error.message}`, { details: error.problems });
    throw error;
  }
}

async function importGates(dir: string, cwd: string): Promise<ParsedGate[]> {
  const files = readdirSync(dir)
    .filter((f) => GATE_EXTENSIONS.includes(extname(f)) && !f.endsWith('.d.ts'))
    .sort();
  const jiti = userModuleLoader();
  const gates: ParsedGate[] = [];
  for (const f of files) {
    const file = join(dir, f);
    const shown = relative(cwd, file) || file;
    let mod: unknown;
    try {
      mod = await jiti.import(file);
    } catch (error) {
      throw new UserError(`could not load gate file ${shown}: ${moduleLoadError(error, cwd)}`);
    }
    // Helper modules (no default export) are skipped: a gate file default-exports a gate or a list.
    const ns = mod as Record<string, unknown>;
    const value = ns.default;
    // jiti's interop gives a module without a default export its own namespace as `default`.
    const looksLikeGate =
      Array.isArray(value) ||
      (value !== null && typeof value === 'object' && ('criteria' in value || 'id' in value));
    const hasNamed = Object.keys(ns).some((k) => k !== 'default' && k !== '__esModule');
    if (value === undefined || (!looksLikeGate && hasNamed)) continue;
    for (const g of Array.isArray(value) ? value : [value]) gates.push(parseOrExplain(g as GateSpec, shown));
  }
  const ids = new Map<string, number>();
  for (const g of gates) ids.set(g.spec.id, (ids.get(g.spec.id) ?? 0) + 1);
  const dup = [...ids].filter(([, n]) => n > 1).map(([id]) => id);
  if (dup.length)
    throw new UserError(`gates in ${relative(cwd, dir) || dir}: duplicate gate id ${dup.join(', ')}`);
  const reserved = gates.filter((g) => SUITE_GATE_IDS.includes(g.spec.id)).map((g) => g.spec.id);
  if (reserved.length)
    throw new UserError(
      `gates in ${relative(cwd, dir) || dir}: gate id ${reserved.join(', ')} is the tool's own suite gate; choose another id`,
    );
  return gates;
}

let builtin: Promise<ParsedGate[]> | undefined;

/**
 * The Sevensa platform's phase gates (the package's gates/), loaded by path as a project's gates are, and
 * parsed once: they are part of the tool and tested to parse.
 */
export function builtinGates(): Promise<ParsedGate[]> {
  builtin ??= importPackageModule('gates/index').then((m) => (m.default as GateSpec[]).map(parseGate));
  return builtin;
}

/** The built-in gates, without sign-offs or waivers: what a record is judged by outside any project. */
export async function builtinSetup(): Promise<GateSetup> {
  return { gates: await builtinGates(), attestations: [], waivers: [] };
}

/** Gate definitions, sign-offs and waivers of the project the config belongs to. */
export async function loadGateSetup(config: ResolvedConfig, cwd: string): Promise<GateSetup> {
  const dir = resolve(config.rootDir, 'gates');
  const own =
    existsSync(dir) &&
    !BUILTIN_DIRS.some((b) => real(b) === real(dir)) &&
    readdirSync(dir).some((f) => GATE_EXTENSIONS.includes(extname(f)));
  const gates = own ? await importGates(dir, cwd) : await builtinGates();
  if (own && gates.length === 0)
    throw new UserError(
      `${relative(cwd, dir) || dir} holds no gate: each gate file default-exports defineGate({...})`,
    );
  const attestations: Attestation[] = readJsonFiles(
    join(dir, 'attestations'),
    attestationSchema,
    'attestation',
    cwd,
  ).map(({ file, value }) => ({
    name: value.name ?? basename(file, '.json'),
    by: value.by,
    date: value.date,
    note: value.note,
    ...(value.expires ? { expires: value.expires } : {}),
    file,
  }));
  const waivers: Waiver[] = readJsonFiles(join(dir, 'waivers'), waiverSchema, 'waiver', cwd).map(
    ({ file, value }) => ({
      ...value,
      file,
    }),
  );
  return { gates, attestations, waivers };
}

/**
 * Narrows a setup to the gates a user named: a gate id (`3-rentguy`, `5`), a phase number (`3`, every
 * wave of phase 3), or a suite gate (`smoke`, `performance`). The named gates then judge the run,
 * whatever their evidence. `flag` is how the user named them (`--phase`, `--gate`), for the message.
 */
export function selectGates(setup: GateSetup, ids: readonly string[], flag: string): GateSetup {
  const known = [...SUITE_GATE_IDS, ...setup.gates.map((g) => g.spec.id)];
  const only = new Set<string>();
  for (const id of ids) {
    const matching = [
      ...SUITE_GATE_IDS.filter((s) => s === id),
      ...setup.gates.filter((g) => g.spec.id === id || String(g.spec.phase) === id).map((g) => g.spec.id),
    ];
    if (matching.length === 0)
      throw new UserError(`${flag} ${id}: no such gate; known: ${known.join(', ')}`, {
        hint: 'a gate id such as 3-rentguy, a phase number 1..5, or a suite gate (smoke, performance)',
      });
    for (const g of matching) only.add(g);
  }
  return { ...setup, only: [...only], allDecide: true };
}
