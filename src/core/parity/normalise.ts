// Normalisers: rewrite a response before it is compared, so that differences a person has declared
// irrelevant (fresh timestamps, generated UUIDs, a text pattern) do not count; and each environment's
// own values (host names, captured ids), which are set against each other pair by pair. Pure; returns a
// rewritten copy. `unordered` rewrites nothing: it tells the diff how to pair an array's elements.

import { z } from 'zod';
import type { ArrayRule } from './diff.js';
import { isDateTime, isUuid } from './format.js';
import {
  concretePath,
  coveredBy,
  matchesPattern,
  type PathPattern,
  type PathToken,
  parsePattern,
} from './path.js';

const pathPattern = z
  .string()
  .refine((p) => typeof parsePattern(p) !== 'string', { error: 'cannot read this path pattern' });

/**
 * A normaliser applied to both sides before comparing, as a scenario writes it. Paths limit it to those
 * fields (and everything below them).
 */
export const normaliserSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('timestamps'), paths: z.array(pathPattern).optional() }),
  z.strictObject({ kind: z.literal('uuids'), paths: z.array(pathPattern).optional() }),
  z.strictObject({
    kind: z.literal('unordered'),
    paths: z.array(pathPattern).optional(),
    key: z
      .string()
      .refine((k) => (concretePath(k)?.length ?? 0) > 0, {
        error: 'expected a field of an element, such as "id" or "labels.instance"',
      })
      .optional(),
  }),
  z.strictObject({
    kind: z.literal('replace'),
    pattern: z.string().refine((p) => {
      try {
        new RegExp(p);
        return true;
      } catch {
        return false;
      }
    }, 'not a valid regular expression'),
    flags: z.string().optional(),
    with: z.string(),
    paths: z.array(pathPattern).optional(),
  }),
]);

/** What a scenario writes: `{ kind: 'unordered', paths: ['items'], key: 'id' }`. */
export type NormaliserSpec = z.output<typeof normaliserSchema>;

export interface Normaliser {
  spec: NormaliserSpec;
  paths: PathPattern[] | undefined;
  regex?: RegExp;
  /** `unordered`'s key, parsed. */
  key?: PathToken[];
}

/** Parses the specs; returns the problems (unreadable paths, bad regular expressions) by index. */
export function compileNormalisers(specs: readonly NormaliserSpec[]): {
  normalisers: Normaliser[];
  problems: string[];
} {
  const problems: string[] = [];
  const normalisers = specs.map((spec, i) => {
    const paths = spec.paths?.map((p) => {
      const parsed = parsePattern(p);
      if (typeof parsed === 'string') problems.push(`normalise[${i}]: ${parsed}`);
      return typeof parsed === 'string' ? { source: p, tokens: [] } : parsed;
    });
    let regex: RegExp | undefined;
    let key: PathToken[] | undefined;
    if (spec.kind === 'unordered' && spec.key !== undefined) {
      key = concretePath(spec.key);
      if (!key?.length) problems.push(`normalise[${i}]: key ${JSON.stringify(spec.key)} is not a field path`);
    }
    if (spec.kind === 'replace') {
      try {
        regex = new RegExp(spec.pattern, spec.flags ?? 'g');
      } catch (err) {
        problems.push(
          `normalise[${i}]: bad pattern ${JSON.stringify(spec.pattern)}: ${(err as Error).message}`,
        );
      }
    }
    return { spec, paths, ...(regex ? { regex } : {}), ...(key?.length ? { key } : {}) };
  });
  return { normalisers, problems };
}

/** One environment's own values (captured ids, its base URLs) and the placeholder each becomes. */
export interface Substitution {
  value: string;
  placeholder: string;
}

const applies = (n: Normaliser, path: readonly PathToken[]) =>
  !n.paths || n.paths.some((p) => coveredBy(p, path));

/** Each of the side's own values in the text becomes its placeholder, longest value first. */
export function substitute(text: string, subs: readonly Substitution[]): string {
  let s = text;
  for (const sub of [...subs].sort((a, b) => b.value.length - a.value.length))
    if (sub.value !== '' && s.includes(sub.value)) s = s.split(sub.value).join(sub.placeholder);
  return s;
}

function normaliseString(
  text: string,
  path: readonly PathToken[],
  normalisers: readonly Normaliser[],
): string {
  let s = text;
  for (const n of normalisers) {
    if (!applies(n, path)) continue;
    if (n.spec.kind === 'timestamps' && isDateTime(s)) s = '<timestamp>';
    else if (n.spec.kind === 'uuids' && isUuid(s)) s = '<uuid>';
    else if (n.spec.kind === 'replace' && n.regex) s = s.replace(n.regex, n.spec.with);
  }
  return s;
}

export function normalise(
  value: unknown,
  normalisers: readonly Normaliser[],
  path: PathToken[] = [],
): unknown {
  const go = (v: unknown, p: PathToken[]): unknown => {
    if (typeof v === 'string') return normaliseString(v, p, normalisers);
    if (Array.isArray(v)) return v.map((item, i) => go(item, [...p, i]));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, go(item, [...p, k])]));
    }
    return v;
  };
  return go(value, path);
}

/**
 * How the array at a path pairs its elements: unordered where an `unordered` normaliser covers it (the
 * array or one it lies in), by the key of the normaliser naming this very array.
 */
export function arrayRule(
  normalisers: readonly Normaliser[],
  path: readonly PathToken[],
): ArrayRule | undefined {
  const covering = normalisers.filter((n) => n.spec.kind === 'unordered' && applies(n, path));
  if (covering.length === 0) return undefined;
  const key = covering.find((n) => n.key && (!n.paths || n.paths.some((p) => matchesPattern(p, path))))?.key;
  return { unordered: true, ...(key ? { key } : {}) };
}
