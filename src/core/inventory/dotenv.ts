// Env files as Compose reads them (compose-go's `dotenv` parser): the project's `.env`, whose values
// feed interpolation, and a service's `env_file`, whose names inventory compares. `KEY=value` or
// `KEY: value`, an optional `export `, `#` comments (in an unquoted value only after a space),
// single quotes literal, double quotes with `\n`-style escapes and interpolation, unquoted values
// interpolated, values spanning lines inside quotes, and a bare `KEY` that takes the environment's
// value. Pure: the caller supplies the text and the lookup.
import { interpolate, type Lookup } from './interpolation.js';

/** An env file Compose would refuse, with the 1-based line. */
export class DotenvError extends Error {}

export interface DotenvOptions {
  /** The environment, consulted before the file's own earlier entries. */
  lookup: Lookup;
  /** Interpolate values (`.env`); `false` reads names and raw values only (`env_file` names). */
  interpolate: boolean;
}

const ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '"': '"',
  '\\': '\\',
  $: '$$', // stays a literal `$` through interpolation, as `$$` does
};

function unescapeDouble(text: string): string {
  return text.replace(/\\(0[0-7]{0,3}|[abfnrtv"\\$])/g, (_, e: string) =>
    e.startsWith('0') ? String.fromCharCode(Number.parseInt(e.slice(1) || '0', 8)) : ESCAPES[e]!,
  );
}

/** The entries of an env file, in order; a later entry for the same name replaces the earlier one. */
export function parseDotenv(text: string, options: DotenvOptions): Map<string, string> {
  const out = new Map<string, string>();
  const src = text.replace(/^\uFEFF/, '');
  const lookup: Lookup = (name) => options.lookup(name) ?? out.get(name);
  const expand = (value: string, line: number) => {
    if (!options.interpolate) return value;
    try {
      return interpolate(value, lookup);
    } catch (error) {
      throw new DotenvError(`line ${line}: ${(error as Error).message}`);
    }
  };
  const set = (name: string, value: string) => {
    if (name !== '') out.set(name, value); // `=value` names nothing
  };
  let i = 0;
  let line = 1;
  const advanceTo = (end: number) => {
    for (let k = i; k < end; k++) if (src[k] === '\n') line++;
    i = end;
  };
  while (i < src.length) {
    // statement start: skip blank space and comment lines
    const start = src.slice(i).search(/\S/);
    if (start < 0) break;
    advanceTo(i + start);
    if (src[i] === '#') {
      const eol = src.indexOf('\n', i);
      advanceTo(eol < 0 ? src.length : eol);
      continue;
    }
    const exported = /^export[ \t]+/.exec(src.slice(i));
    if (exported) advanceTo(i + exported[0].length);
    // the name runs to `=`, `:` or the end of the line (a bare name: inherited from the environment)
    const keyMatch = /^([^=:\n]*)([=:\n]|$)/.exec(src.slice(i))!;
    const key = keyMatch[1]!.trim();
    const keyLine = line;
    if (/\s/.test(key)) throw new DotenvError(`line ${keyLine}: a variable name cannot contain a space`);
    const bad = /[^\p{L}\p{N}_.[\]-]/u.exec(key);
    if (bad)
      throw new DotenvError(
        `line ${keyLine}: unexpected character ${JSON.stringify(bad[0])} in variable name ${JSON.stringify(key)}`,
      );
    advanceTo(i + keyMatch[0].length);
    if (keyMatch[2] !== '=' && keyMatch[2] !== ':') {
      const inherited = options.lookup(key);
      if (inherited !== undefined) set(key, inherited);
      else if (!options.interpolate) set(key, '');
      continue;
    }
    const lead = /^[ \t\r\f\v]*/.exec(src.slice(i))![0].length;
    advanceTo(i + lead);
    const quote = src[i];
    if (quote === '"' || quote === "'") {
      let value = '';
      let j = i + 1;
      let closed = false;
      for (; j < src.length; j++) {
        const c = src[j]!;
        if (c === '\\' && j + 1 < src.length) {
          // an escaped quote is the quote; any other escape is kept for unescapeDouble
          value += src[j + 1] === quote ? quote : `\\${src[j + 1]}`;
          j++;
          continue;
        }
        if (c === quote) {
          closed = true;
          break;
        }
        value += c;
      }
      if (!closed) throw new DotenvError(`line ${keyLine}: unterminated quoted value for ${key}`);
      advanceTo(j + 1);
      set(key, quote === '"' ? expand(unescapeDouble(value), keyLine) : value);
      continue;
    }
    const eol = src.indexOf('\n', i);
    const raw = src.slice(i, eol < 0 ? src.length : eol);
    advanceTo(eol < 0 ? src.length : eol);
    const hash = raw.indexOf(' #');
    set(key, expand((hash < 0 ? raw : raw.slice(0, hash)).trimEnd(), keyLine));
  }
  return out;
}

/** The variable names an `env_file` sets (never its values). */
export function envFileNames(text: string): string[] {
  return [...parseDotenv(text, { lookup: () => undefined, interpolate: false }).keys()];
}
