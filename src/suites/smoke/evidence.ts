// Reads a health payload against the service's health rule. Pure: the body comes in, a verdict with
// its reason goes out.
import type { HealthSpec } from '../../config/schema.js';
import { readPath } from '../../core/parity/path.js';
import { bodyText, declaresUtf8, notUtf8Reason } from '../../runners/http/text.js';

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

/**
 * `contentType` is the response's Content-Type as sent: a payload that is not UTF-8 fails when that
 * declares UTF-8 (a charset or a JSON type), and a JSON rule needs UTF-8 in any case (RFC 8259 §8.1) —
 * decoding with U+FFFD would make different bytes read alike, and a broken payload look healthy.
 */
export function judgeHealth(spec: HealthSpec, body: Buffer, contentType?: string): HealthJudgement {
  const read = bodyText(body);
  if (!read.ok && declaresUtf8(contentType))
    return { healthy: false, reason: notUtf8Reason('health payload', body, read.invalidAt, contentType) };
  if (!read.ok && spec.json) {
    return {
      healthy: false,
      reason: `health payload is not JSON: ${notUtf8Reason('it', body, read.invalidAt, contentType)}`,
    };
  }
  const text = read.ok ? read.text : read.lossy;
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
