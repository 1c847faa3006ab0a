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
