import { describe, expect, it } from 'vitest';
import { readPath } from '../../src/core/parity/path.js';
import { judgeHealth } from '../../src/suites/smoke/evidence.js';

const body = {
  result: { originCountry: 'NL', tags: ['a', 'b'] },
  items: [{ id: 7 }, { id: 8, owner: null }],
  'x-wp-total': '12',
  'dotted.key': true,
};

describe('readPath', () => {
  it('reads keys, indexes and quoted keys', () => {
    expect(readPath(body, 'result.originCountry')).toBe('NL');
    expect(readPath(body, 'items[1].id')).toBe(8);
    expect(readPath(body, 'result.tags[0]')).toBe('a');
    expect(readPath(body, 'x-wp-total')).toBe('12');
    expect(readPath(body, '["dotted.key"]')).toBe(true);
    expect(readPath(body, '$.result.originCountry')).toBe('NL');
  });

  it('reads the whole value at the root', () => {
    expect(readPath(body, '$')).toBe(body);
    expect(readPath(42, '')).toBe(42);
  });

  it('reads an array element by a dotted index and an object key by a bracketed number', () => {
    expect(readPath(body, 'items.0.id')).toBe(7);
    expect(readPath({ 0: 'zero' }, '[0]')).toBe('zero');
  });

  it('keeps a present null apart from a missing key', () => {
    expect(readPath(body, 'items[1].owner')).toBeNull();
    expect(readPath(body, 'items[0].owner')).toBeUndefined();
  });

  it('is undefined for missing keys and indexes past the end', () => {
    expect(readPath(body, 'result.city')).toBeUndefined();
    expect(readPath(body, 'nothing.below.here')).toBeUndefined();
    expect(readPath(body, 'items[5].id')).toBeUndefined();
    expect(readPath([], '[0]')).toBeUndefined();
  });

  it('is undefined when a step lands on something that is not an object or array', () => {
    expect(readPath(body, 'result.originCountry.length')).toBeUndefined();
    expect(readPath(body, 'items[0].id.x')).toBeUndefined();
    expect(readPath(body, 'items[1].owner.name')).toBeUndefined();
    expect(readPath('text', '[0]')).toBeUndefined();
    expect(readPath(null, 'a')).toBeUndefined();
    expect(readPath(undefined, 'a')).toBeUndefined();
  });

  it('never reaches the prototype', () => {
    for (const path of [
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'a.__proto__',
      'a.constructor.name',
    ]) {
      expect(readPath({ a: {} }, path), path).toBeUndefined();
    }
    expect(readPath({ list: [1] }, 'list.constructor')).toBeUndefined();
    expect(readPath({ list: [1] }, 'list.map')).toBeUndefined();
  });

  it('still reads such a key when the data itself has it', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": "own"}') as unknown;
    expect(readPath(parsed, '__proto__.polluted')).toBe('yes');
    expect(readPath(parsed, 'constructor')).toBe('own');
  });

  it('is undefined for a pattern that names no single place, or a path it cannot read', () => {
    expect(readPath(body, 'items[*].id')).toBeUndefined();
    expect(readPath(body, '**.id')).toBeUndefined();
    expect(readPath({ '*': 1 }, '*')).toBeUndefined();
    expect(readPath(body, 'items[0')).toBeUndefined();
  });
});

describe('health payload rules read through readPath', () => {
  const spec = (json: Record<string, string | number | boolean | null>) => ({
    path: '/health',
    status: 200,
    json,
  });

  it('reads nested and indexed paths from the payload', () => {
    const payload = Buffer.from(JSON.stringify({ checks: [{ db: 'ok' }], status: 'UP' }));
    expect(judgeHealth(spec({ 'checks[0].db': 'ok', status: 'UP' }), payload).healthy).toBe(true);
    const wrong = judgeHealth(spec({ 'checks[0].db': 'down' }), payload);
    expect(wrong).toEqual({ healthy: false, reason: 'checks[0].db expected "down", got "ok"' });
  });

  it('does not take an inherited property for the expected value', () => {
    const judged = judgeHealth(spec({ 'constructor.name': 'Object' }), Buffer.from('{}'));
    expect(judged).toEqual({ healthy: false, reason: 'constructor.name expected "Object", got nothing' });
  });
});
