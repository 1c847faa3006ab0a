// The one escaping every renderer shares: hidden characters (Trojan Source's bidi controls, other
// invisible format characters, control characters) become visible escapes, JSON stays lossless, and
// Markdown escapes only what Markdown would read as markup.
import { describe, expect, it } from 'vitest';
import { jsonText, mdCell, mdCode, visible } from '../../src/report/text.js';

/** The Trojan Source set and the other invisible format characters the reports must not carry raw. */
const HIDDEN_SET = [
  ...['\u202A', '\u202B', '\u202C', '\u202D', '\u202E'],
  ...['\u2066', '\u2067', '\u2068', '\u2069'],
  ...['\u200E', '\u200F', '\u061C'],
  ...['\u200B', '\u200C', '\u200D', '\uFEFF', '\u2060', '\u2061', '\u2062', '\u2063', '\u2064', '\u00AD'],
  ...['\u{E0001}', '\u{E0041}', '\uFE0F', '\u2028', '\u2029'],
  ...['\u0000', '\u0007', '\u001B', '\r', '\u007F', '\u0085', '\uD800', '\uFFFE'],
];

describe('visible', () => {
  it('writes every bidi control, invisible format and control character as an escape', () => {
    for (const ch of HIDDEN_SET) {
      const out = visible(`a${ch}b`);
      expect(out, JSON.stringify(ch)).not.toContain(ch);
      expect(out).toMatch(/^a\\(u[0-9A-F]{4}|u\{[0-9A-F]+\}|r)b$/);
    }
    expect(visible('x\u202Ey')).toBe('x\\u202Ey');
    expect(visible('x\u{E0041}y')).toBe('x\\u{E0041}y');
    expect(visible('line\nnext\r\nlast')).toBe('line next last');
  });

  it('leaves ordinary text alone: letters of any script, accents, emoji, a tab', () => {
    for (const text of ['héllo wörld', 'שלום עולם', 'مرحبا', '日本語', '🚀 done', 'a\tb', 'p < 0.01 & more'])
      expect(visible(text)).toBe(text);
  });
});

describe('jsonText', () => {
  it('escapes hidden characters as JSON escapes, so a parser reads back the same strings', () => {
    const value = { reason: HIDDEN_SET.join('|'), nested: ['\u202Eabc', { k: 'x\u2066' }] };
    for (const space of [undefined, 2]) {
      const text = jsonText(value, space);
      for (const ch of HIDDEN_SET.filter((c) => c !== '\r' && c.charCodeAt(0) >= 0x20))
        expect(text, JSON.stringify(ch)).not.toContain(ch);
      expect(JSON.parse(text)).toEqual(value);
    }
    expect(jsonText('\u202E')).toBe('"\\u202e"');
  });
});

describe('Markdown escaping', () => {
  it('backslash-escapes what would be markup, and nothing else', () => {
    expect(mdCell('p < 0.0001 & a > b')).toBe('p < 0.0001 & a > b');
    expect(mdCell('Sevensa <test> </b> <!-- x')).toBe('Sevensa \\<test> \\</b> \\<!-- x');
    expect(mdCell('a | b')).toBe('a \\| b');
    // A backslash stays as it is unless it would escape the next character: `\<b>` renders as typed.
    expect(mdCell('C:\\temp \\<b>')).toBe('C:\\temp \\\\\\<b>');
    expect(mdCell('[click](https://x) ![i][r]')).toBe('[click\\](https://x) ![i\\][r]');
    expect(mdCell('one\ntwo')).toBe('one two');
  });

  it('does not let an entity bring back an escaped character', () => {
    expect(mdCell('&#x202E;evil &amp; &#8238;')).toBe('\\&#x202E;evil \\&amp; \\&#8238;');
    expect(mdCell('x\u202Ey')).toBe('x\\u202Ey');
  });

  it('code spans: a fence longer than any backtick run, pipes escaped in tables only', () => {
    expect(mdCode('$.a<b>')).toBe('`$.a<b>`');
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`a`')).toBe('`` `a` ``');
    expect(mdCode('a|b', true)).toBe('`a\\|b`');
    expect(mdCode('a|b')).toBe('`a|b`');
    expect(mdCode('x\u202Ey')).toBe('`x\\u202Ey`');
    expect(mdCode('')).toBe('');
  });
});
