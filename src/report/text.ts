// Small text helpers shared by the renderers.
import type { CriterionStatus } from '../core/model.js';

export const STATUS_MARK: Record<CriterionStatus, string> = {
  PASS: '✓',
  FAIL: '✗',
  INCONCLUSIVE: '?',
  WAIVED: '~',
};

/** Escapes a string for a Markdown table cell: pipes and newlines would break the table. */
export function mdCell(text: string): string {
  // < and > too: Markdown renderers pass raw HTML through, and a response's text must stay text.
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, ' ')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
