// Reads a health payload against the service's health rule. Pure: the body comes in, a verdict with
// its reason goes out.
import type { HealthSpec } from '../../config/schema.js';
import { readPath } from '../../core/parity/path.js';

export interface HealthJudgement {
  healthy: boolean;
  reason: string;
}

export function snippet(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max)}…` : flat);
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

export function judgeHealth(spec: HealthSpec, body: Buffer): HealthJudgement {
  const text = body.toString('utf8');
  if (spec.json) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { healthy: false, reason: `health payload is not JSON: ${snippet(text)}` };
    }
    const wrong = Object.entries(spec.json)
      .map(([path, expected]) => ({ path, expected, actual: readPath(parsed, path) }))
      .filter((f) => f.actual !== f.expected);
    if (wrong.length > 0) {
      return {
        healthy: false,
        reason: wrong.map((w) => `${w.path} expected ${show(w.expected)}, got ${show(w.actual)}`).join('; '),
      };
    }
    const said = Object.entries(spec.json)
      .map(([p, v]) => `${p}=${show(v)}`)
      .join(', ');
    return { healthy: true, reason: `payload says ${said}` };
  }
  if (spec.contains) {
    return text.includes(spec.contains)
      ? { healthy: true, reason: `payload contains ${JSON.stringify(spec.contains)}` }
      : {
          healthy: false,
          reason: `payload does not contain ${JSON.stringify(spec.contains)}: got ${snippet(text)}`,
        };
  }
  return { healthy: true, reason: 'no payload rule: the status decides' };
}
