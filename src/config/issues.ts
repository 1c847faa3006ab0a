// Turns zod issues into one line each: `environments.target.services.rentguy-api.url: expected a URL,
// got "foo"`. zod's own messages say "received"; ours name the path, what was expected and what came.
import type { core } from 'zod';
import { closestName } from '../core/suggest.js';

type Issue = core.$ZodIssue;

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (!/^[A-Za-z0-9_$-]+$/.test(String(key))) out += `[${JSON.stringify(String(key))}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(root)';
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'function') return 'a function';
  return 'an object';
}

/** A suggestion for a misspelt key: within a third of its length in edits (at least 2). */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  return closestName(word, candidates, Math.max(2, Math.floor(word.length / 3)));
}

function expectation(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `missing; expected ${issue.expected}` : `expected ${issue.expected}`;
    case 'invalid_value':
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'too_small': {
      const what = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : '';
      return `expected at least ${String(issue.minimum)}${what}`;
    }
    case 'too_big': {
      const what = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : '';
      return `expected at most ${String(issue.maximum)}${what}`;
    }
    default:
      return issue.message;
  }
}

/** One line per issue; unknown keys get one line each, with a suggestion when one is close. */
export function formatIssues(
  issues: readonly Issue[],
  knownKeysAt?: (path: readonly PropertyKey[]) => string[],
): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const near = knownKeysAt ? suggest(key, knownKeysAt(issue.path)) : undefined;
        lines.push(
          `${formatPath([...issue.path, key])}: unknown key${near ? `; did you mean "${near}"?` : ''}`,
        );
      }
      continue;
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the branch that got furthest: its issues are the ones that explain the mistake.
      const deepest = [...issue.errors].sort((a, b) => b.length - a.length)[0] ?? [];
      const nested = deepest.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as Issue);
      if (nested.length > 0 && issue.message.startsWith('Invalid input')) {
        lines.push(...formatIssues(nested, knownKeysAt));
        continue;
      }
    }
    const base = expectation(issue);
    // A discriminated union reports the whole object as its input; the discriminator's value is what went wrong.
    const last = issue.path[issue.path.length - 1];
    if (
      issue.code === 'invalid_union' &&
      typeof last === 'string' &&
      issue.input &&
      typeof issue.input === 'object' &&
      last in issue.input
    ) {
      lines.push(
        `${formatPath(issue.path)}: ${base}, got ${describeValue((issue.input as Record<string, unknown>)[last])}`,
      );
      continue;
    }
    // Custom (cross-reference) messages say what came themselves.
    const got =
      issue.code !== 'custom' && 'input' in issue && issue.input !== undefined && !base.startsWith('missing')
        ? `, got ${describeValue(issue.input)}`
        : '';
    lines.push(`${formatPath(issue.path)}: ${base}${got}`);
  }
  return lines;
}
