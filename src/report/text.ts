// Small text helpers shared by the renderers, and the one place that decides which characters a report
// may not carry as they are.
import type { CriterionStatus } from '../core/model.js';

export const STATUS_MARK: Record<CriterionStatus, string> = {
  PASS: '✓',
  FAIL: '✗',
  INCONCLUSIVE: '?',
  WAIVED: '~',
};

/**
 * Characters no report shows as they are, whatever their source (a response, a config, a cluster):
 * - control characters (C0, DEL, C1): a terminal obeys ESC and CR, and XML 1.0 cannot carry most;
 * - format characters (Unicode Cf) and the other default-ignorable ones: the bidirectional embeddings,
 *   overrides and isolates of "Trojan Source" (CVE-2021-42574) reorder the text after them, and
 *   zero-width characters, the BOM, the soft hyphen, tag characters, variation selectors and fillers
 *   hide text;
 * - the line and paragraph separators U+2028 and U+2029, which break a line where none is seen;
 * - lone surrogates and noncharacters (U+FFFE, U+FFFF, …), which XML cannot carry either.
 * A tab is the one exception: it is whitespace every format shows as such.
 */
const HIDDEN =
  /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Zl}\p{Zp}\p{Cs}\p{Noncharacter_Code_Point}]/gu;

const NAMED: Record<string, string> = { '\r': '\\r', '\t': '\t' };

/** `\u202E` for U+202E, `\u{E0041}` beyond the BMP: what a reader sees and can look up. */
function escapeOf(ch: string): string {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const cp = ch.codePointAt(0)!;
  const hex = cp.toString(16).toUpperCase();
  return cp > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
}

/**
 * The text with every character of HIDDEN written as an escape (`\u202E`, `\r`), so it can neither
 * reorder nor hide what follows it, nor move a terminal's cursor; a line break becomes a space, as
 * every field a report shows is one line (a response's newline must not start a line of its own, such
 * as a forged "Verdict: GO"). Every renderer passes the strings it did not write itself through this,
 * before its own escaping (HTML entities, Markdown, XML).
 */
export function visible(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(HIDDEN, escapeOf);
}

/**
 * JSON.stringify, with the hidden characters JSON.stringify leaves raw (format characters, DEL, C1,
 * U+2028/9) written as JSON's own \u escapes: a parser reads back exactly the same strings, while a
 * person who opens the file sees no reordered text.
 */
export function jsonText(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(HIDDEN, (ch) =>
    // Below U+0020 only the indentation's newlines remain (JSON.stringify escaped those inside strings).
    ch.charCodeAt(0) < 0x20
      ? ch
      : Array.from(
          { length: ch.length },
          (_, i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`,
        ).join(''),
  );
}

/**
 * Escapes text for Markdown, in a table cell or in running text: a response's text must stay text.
 * Newlines become spaces (they would end the cell or the list item) and hidden characters visible;
 * then a backslash, which reads as it renders (unlike `&lt;`), goes before what Markdown would read as
 * markup: `|` (a cell border), `<` where it could open a tag or an autolink, `&` where it could start
 * an entity (`&#x202E;` would bring back the very character made visible here), `]` where it could
 * close a link's text, and a backslash that would escape the character after it. `p < 0.01` and `a & b` stay as they are.
 */
export function mdCell(text: string): string {
  return visible(text).replace(
    /\\(?=[!-/:-@[-`{-~])|\||<(?=[A-Za-z/!?])|&(?=#?[0-9A-Za-z]+;)|\](?=[([])/g,
    '\\$&',
  );
}

/**
 * Text as a Markdown code span (a path, a fault): nothing inside one is markup, so only hidden
 * characters and newlines are made visible, and the fence is longer than any run of backticks in the
 * text. In a table cell, GFM reads `\|` inside a code span as `|`, so pipes are escaped there.
 */
export function mdCode(text: string, inTable = false): string {
  if (text === '') return '';
  let inner = visible(text);
  if (inTable) inner = inner.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(inner.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = inner.startsWith('`') || inner.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${inner}${pad}${fence}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export const criteriaCount = (n: number): string => (n === 1 ? '1 criterion' : `${n} criteria`);
