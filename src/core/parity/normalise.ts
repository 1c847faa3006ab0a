// Normalisers: rewrite a response before it is compared, so that differences a person has declared
// irrelevant (fresh timestamps, generated UUIDs, the order of an unordered collection, each environment's
// own host names and ids) do not count. Pure; returns a rewritten copy.

import { canonical } from './diff.js';
import { isDateTime, isUuid } from './format.js';
import { coveredBy, type PathPattern, type PathToken, parsePattern } from './path.js';

/** What a scenario writes. Paths limit a normaliser to those fields (and everything below them). */
export type NormaliserSpec =
  | { kind: 'timestamps'; paths?: string[] }
  | { kind: 'uuids'; paths?: string[] }
  | { kind: 'unordered'; paths?: string[] }
  | { kind: 'replace'; pattern: string; flags?: string; with: string; paths?: string[] };

export interface Normaliser {
  spec: NormaliserSpec;
  paths: PathPattern[] | undefined;
  regex?: RegExp;
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
    if (spec.kind === 'replace') {
      try {
        regex = new RegExp(spec.pattern, spec.flags ?? 'g');
      } catch (err) {
        problems.push(
          `normalise[${i}]: bad pattern ${JSON.stringify(spec.pattern)}: ${(err as Error).message}`,
        );
      }
    }
    return { spec, paths, ...(regex ? { regex } : {}) };
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

function normaliseString(
  text: string,
  path: readonly PathToken[],
  normalisers: readonly Normaliser[],
  subs: readonly Substitution[],
): string {
  let s = text;
  // Longest first, so a base URL is replaced before a shorter value it contains.
  for (const sub of subs)
    if (sub.value !== '' && s.includes(sub.value)) s = s.split(sub.value).join(sub.placeholder);
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
  substitutions: readonly Substitution[] = [],
  path: PathToken[] = [],
): unknown {
  const subs = [...substitutions].sort((a, b) => b.value.length - a.value.length);
  const go = (v: unknown, p: PathToken[]): unknown => {
    if (typeof v === 'string') return normaliseString(v, p, normalisers, subs);
    if (Array.isArray(v)) {
      const items = v.map((item, i) => go(item, [...p, i]));
      const unordered = normalisers.some((n) => n.spec.kind === 'unordered' && applies(n, p));
      return unordered
        ? items.sort((x, y) => (canonical(x) < canonical(y) ? -1 : canonical(x) > canonical(y) ? 1 : 0))
        : items;
    }
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, go(item, [...p, k])]));
    }
    return v;
  };
  return go(value, path);
}
