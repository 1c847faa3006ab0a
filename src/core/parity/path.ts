// JSON paths as parity reports them, and the patterns ignore rules and normalisers are written in.
//
// A path reads the way the drift fault and a person write it: `result.originCountry`, `items[0].id`;
// keys that are not plain identifiers are quoted (`headers["x-wp-total"]`); the body's root is `$`.
// Response parts that are not the body start with `@`: `@status`, `@headers.content-type`, `@response`.

export type PathToken = string | number;

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

export function formatPath(tokens: readonly PathToken[]): string {
  return format(tokens, (i) => String(i));
}

/**
 * The path with every array index as `[*]`: `data.activeTargets[*].lastScrape`. Elements of an array
 * are matched by content, so an index is one answer's position; noise carried from run to run (in a
 * recorded baseline) is a field of any element.
 */
export function anyIndexPath(tokens: readonly PathToken[]): string {
  return format(tokens, () => '*');
}

/**
 * A reported path (`items[3].at`, `@headers.etag`) with its indices as `[*]`; response parts (`@…`)
 * and anything that does not read as a path are returned as they are.
 */
export function anyIndexOf(displayed: string): string {
  if (displayed.startsWith('@')) return displayed;
  const tokens = concretePath(displayed);
  return tokens ? anyIndexPath(tokens) : displayed;
}

function format(tokens: readonly PathToken[], index: (i: number) => string): string {
  if (tokens.length === 0) return '$';
  let out = '';
  for (const t of tokens) {
    if (typeof t === 'number') out += `[${index(t)}]`;
    else if (PLAIN_KEY.test(t)) out += out === '' ? t : `.${t}`;
    else out += `[${JSON.stringify(t)}]`;
  }
  return out;
}

/** A pattern token: a key, an index, `*` (any one key or index) or `**` (any depth, including none). */
type PatternToken =
  | { kind: 'key'; key: string }
  | { kind: 'index'; index: number }
  | { kind: 'any' }
  | { kind: 'deep' };

export interface PathPattern {
  source: string;
  tokens: PatternToken[];
}

/**
 * Parses `items[*].createdAt`, `**.requestId`, `result.originCountry`, `$`, `data[0]`, `["odd key"]`.
 * Returns an error text for a pattern that cannot be read, so config mistakes are named.
 */
export function parsePattern(source: string): PathPattern | string {
  const text = source.trim();
  if (text === '' || text === '$') return { source, tokens: [] };
  const tokens: PatternToken[] = [];
  const re = /\[(\d+|\*|"(?:[^"\\]|\\.)*")\]|(\*\*|\*|[^.[\]]+)|(\.)/gy;
  let expectKey = true;
  let m: RegExpExecArray | null;
  let at = text.startsWith('$') ? 1 : 0;
  re.lastIndex = at;
  while (at < text.length) {
    m = re.exec(text);
    if (!m || m.index !== at) return `cannot read path pattern "${source}" at character ${at + 1}`;
    at = re.lastIndex;
    if (m[3]) {
      expectKey = true;
      continue;
    }
    if (m[1] !== undefined) {
      const inner = m[1];
      if (inner === '*') tokens.push({ kind: 'any' });
      else if (inner.startsWith('"')) tokens.push({ kind: 'key', key: JSON.parse(inner) as string });
      else tokens.push({ kind: 'index', index: Number(inner) });
    } else if (m[2] !== undefined) {
      if (!expectKey && tokens.length > 0) return `cannot read path pattern "${source}"`;
      const word = m[2];
      tokens.push(
        word === '**' ? { kind: 'deep' } : word === '*' ? { kind: 'any' } : { kind: 'key', key: word },
      );
    }
    expectKey = false;
  }
  return { source, tokens };
}

/** Whether a concrete path matches a pattern (whole path, not a prefix). */
export function matchesPattern(pattern: PathPattern, path: readonly PathToken[]): boolean {
  const p = pattern.tokens;
  const go = (i: number, j: number): boolean => {
    if (i === p.length) return j === path.length;
    const t = p[i]!;
    if (t.kind === 'deep') {
      for (let k = j; k <= path.length; k++) if (go(i + 1, k)) return true;
      return false;
    }
    if (j === path.length) return false;
    const v = path[j]!;
    if (t.kind === 'any') return go(i + 1, j + 1);
    if (t.kind === 'key') return typeof v === 'string' && v === t.key && go(i + 1, j + 1);
    return typeof v === 'number' && v === t.index && go(i + 1, j + 1);
  };
  return go(0, 0);
}

/** Whether the path or one of its ancestors matches (ignoring `items` ignores everything below it too). */
export function coveredBy(pattern: PathPattern, path: readonly PathToken[]): boolean {
  for (let n = path.length; n >= 0; n--) if (matchesPattern(pattern, path.slice(0, n))) return true;
  return false;
}

/**
 * Reads a concrete path (`a.b[0].c`, `headers["x-wp-total"]`, `$`) from a JSON value: undefined when a
 * step is missing, a step lands on something that is not an object or array, or the path is not one
 * concrete place (unreadable, or a `*`/`**` pattern). Only own properties are followed, so a path
 * from a config or a response (`__proto__`, `constructor`) never reaches an object's prototype.
 */
export function readPath(value: unknown, path: string): unknown {
  const tokens = concretePath(path);
  return tokens === undefined ? undefined : readTokens(value, tokens);
}

/** The tokens of a path that names one concrete place (`labels.instance`, `items[0]`), else undefined. */
export function concretePath(path: string): PathToken[] | undefined {
  const parsed = parsePattern(path);
  if (typeof parsed === 'string') return undefined;
  const tokens: PathToken[] = [];
  for (const t of parsed.tokens) {
    if (t.kind !== 'key' && t.kind !== 'index') return undefined;
    tokens.push(t.kind === 'key' ? t.key : t.index);
  }
  return tokens;
}

/** Reads parsed tokens, with readPath's rules (own properties only). */
export function readTokens(value: unknown, tokens: readonly PathToken[]): unknown {
  let cur: unknown = value;
  for (const key of tokens) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (!Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<PathToken, unknown>)[key];
  }
  return cur;
}
