// Compose's variable interpolation, as compose-go's `template` package does it (the reference for
// `docker compose`): `$$` is a literal `$`; `$VAR` and `${VAR}` substitute (unset → "" and a
// warning); `${VAR:-default}` / `${VAR-default}` fall back when unset-or-empty / unset;
// `${VAR:+alt}` / `${VAR+alt}` replace when set-and-non-empty / set; `${VAR:?message}` /
// `${VAR?message}` stop with an error when unset-or-empty / unset. Operands nest
// (`${A:-${B:-5.7}}`) and are interpolated only when used, like a shell. A `$` followed by anything
// else is kept as it is; a `${` that does not form one of these is an error, as in Compose.
// Pure: the caller supplies the lookup (the environment, then the `.env` file).

export type Lookup = (name: string) => string | undefined;

/** A template Compose would refuse: a required variable without a value, or a malformed `${`. */
export class InterpolationError extends Error {
  constructor(
    message: string,
    /** The required variable that has no value, when that is the reason. */
    readonly variable?: string,
  ) {
    super(message);
  }
}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;
type Operator = ':-' | '-' | ':+' | '+' | ':?' | '?';

/** A lookup over plain records, first defined value wins, own keys only (`constructor` is no variable). */
export function lookupIn(...sources: Readonly<Record<string, string | undefined>>[]): Lookup {
  return (name) => {
    for (const source of sources) {
      if (Object.hasOwn(source, name) && source[name] !== undefined) return source[name];
    }
    return undefined;
  };
}

/** Index of the `}` closing a `${` whose content starts at `from`, counting nested braces. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function invalid(template: string): InterpolationError {
  return new InterpolationError(
    `invalid interpolation format ${JSON.stringify(template)} (a literal $ is written $$)`,
  );
}

/**
 * Interpolates one string. `onUnset` hears each variable substituted as "" because it is not set
 * (Compose's warning); a required variable without a value throws an `InterpolationError`.
 */
export function interpolate(template: string, lookup: Lookup, onUnset?: (name: string) => void): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) return out + template.slice(i);
    out += template.slice(i, dollar);
    const next = template[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
      continue;
    }
    if (next === '{') {
      const end = closingBrace(template, dollar + 2);
      if (end < 0) throw invalid(template);
      out += substitute(template.slice(dollar + 2, end), template, lookup, onUnset);
      i = end + 1;
      continue;
    }
    const name = NAME.exec(template.slice(dollar + 1))?.[0];
    if (name === undefined) {
      out += '$';
      i = dollar + 1;
      continue;
    }
    out += plain(name, lookup, onUnset);
    i = dollar + 1 + name.length;
  }
  return out;
}

function plain(name: string, lookup: Lookup, onUnset?: (name: string) => void): string {
  const value = lookup(name);
  if (value === undefined) onUnset?.(name);
  return value ?? '';
}

/** The inside of `${…}`: a name, optionally an operator and its operand. */
function substitute(
  body: string,
  template: string,
  lookup: Lookup,
  onUnset?: (name: string) => void,
): string {
  const name = NAME.exec(body)?.[0];
  if (name === undefined) throw invalid(template);
  const rest = body.slice(name.length);
  if (rest === '') return plain(name, lookup, onUnset);
  const op = (/^:?[-+?]/.exec(rest)?.[0] ?? '') as Operator | '';
  if (op === '') throw invalid(template);
  const operand = () => interpolate(rest.slice(op.length), lookup, onUnset);
  const value = lookup(name);
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  switch (op) {
    case ':-':
      return nonEmpty ? value : operand();
    case '-':
      return set ? value : operand();
    case ':+':
      return nonEmpty ? operand() : '';
    case '+':
      return set ? operand() : '';
    case ':?':
    case '?': {
      if (op === ':?' ? nonEmpty : set) return value!;
      const reason = operand();
      throw new InterpolationError(
        `required variable ${name} is missing a value${reason ? `: ${reason}` : ''}`,
        name,
      );
    }
  }
}

/**
 * Interpolates every string value of parsed YAML — values only, never mapping keys, as Compose
 * does — naming the path of a value that fails (`services.db.image: required variable …`).
 */
export function interpolateValues(
  value: unknown,
  lookup: Lookup,
  onUnset?: (name: string) => void,
  path = '',
): unknown {
  if (typeof value === 'string') {
    try {
      return interpolate(value, lookup, onUnset);
    } catch (error) {
      if (!(error instanceof InterpolationError)) throw error;
      throw new InterpolationError(`${path || '(top level)'}: ${error.message}`, error.variable);
    }
  }
  if (Array.isArray(value))
    return value.map((v, i) => interpolateValues(v, lookup, onUnset, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        interpolateValues(v, lookup, onUnset, path ? `${path}.${k}` : k),
      ]),
    );
  }
  return value;
}
