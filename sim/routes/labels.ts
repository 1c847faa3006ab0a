// Label sets as the Prometheus family of APIs (Prometheus, Alertmanager, Loki) handles them, plus the
// response envelope those APIs share.

import { createHash } from 'node:crypto';
import { json } from '../route.js';

export type Labels = Record<string, string>;

/** The `{"status":"success","data":…}` envelope of the Prometheus and Loki HTTP APIs. */
export const success = (data: unknown) => json({ status: 'success', data });

/** `{a="b", c="d"}` or `a="b"` to {a: 'b', c: 'd'}; only equality matchers, which is all the checks use. */
export function parseEqualityMatchers(selector: string): Labels | undefined {
  const body = selector.trim().replace(/^\{(.*)\}$/s, '$1');
  const out: Labels = {};
  for (const part of body.split(',').filter((p) => p.trim() !== '')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"([^"]*)"\s*$/.exec(part);
    if (!m) return undefined;
    out[m[1]!] = m[2]!;
  }
  return out;
}

export const labelsMatch = (labels: Labels, want: Labels) =>
  Object.entries(want).every(([k, v]) => labels[k] === v);

/** A label set's identity whatever the key order: 16 hex digits like Alertmanager's fingerprint (another hash). */
export const fingerprint = (labels: Labels) =>
  createHash('sha256')
    .update(JSON.stringify(Object.entries(labels).sort()))
    .digest('hex')
    .slice(0, 16);

export interface Matcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/**
 * One matcher as Alertmanager's `filter=` takes it: `name<op>value` with `=`, `!=`, `=~` or `!~`, the value
 * quoted (with `\\`, `\"` and `\n` escapes) or bare. Undefined when it is not one; the error words of
 * Alertmanager 0.25 for the common mistakes are in `matcherError`.
 */
export function parseMatcher(text: string): Matcher | undefined {
  const m = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|=|!=|!~)\s*(.*?)\s*$/s.exec(text);
  if (!m) return undefined;
  let value = m[3]!;
  if (value.startsWith('"')) {
    const inner = unquote(value);
    if (inner === undefined) return undefined;
    value = inner;
  } else if (value.includes('"')) return undefined;
  if (m[2] === '=~' || m[2] === '!~') {
    try {
      new RegExp(`^(?:${value})$`);
    } catch {
      return undefined;
    }
  }
  return { name: m[1]!, op: m[2] as Matcher['op'], value };
}

/** Alertmanager's answer to a filter it cannot parse: a JSON string, as its API writes it. */
export function matcherError(text: string): string {
  const quoted = /^\s*[a-zA-Z_:][a-zA-Z0-9_:]*\s*(=~|=|!=|!~)\s*"/.test(text);
  return quoted && !text.trim().endsWith('"')
    ? `matcher value contains unescaped double quote: ${text.replace(/^[^"]*/, '')}`
    : `bad matcher format: ${text}`;
}

export function matcherMatches(labels: Labels, m: Matcher): boolean {
  const actual = labels[m.name] ?? '';
  switch (m.op) {
    case '=':
      return actual === m.value;
    case '!=':
      return actual !== m.value;
    case '=~':
      return new RegExp(`^(?:${m.value})$`).test(actual);
    case '!~':
      return !new RegExp(`^(?:${m.value})$`).test(actual);
  }
}

/** The text between double quotes with its escapes undone; undefined when a quote inside is not escaped. */
function unquote(quoted: string): string | undefined {
  if (quoted.length < 2 || !quoted.endsWith('"')) return undefined;
  let out = '';
  const inner = quoted.slice(1, -1);
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c === '"') return undefined;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = inner[++i];
    if (next === undefined) return undefined;
    out += next === 'n' ? '\n' : next;
  }
  return out;
}
