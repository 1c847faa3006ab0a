// Small text helpers shared by the renderers.
import type { CriterionStatus, GateResult } from '../core/model.js';

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

/**
 * Why a gate is shown beside the verdict rather than judging the run, in the words every renderer uses;
 * undefined for a gate the run is judged by.
 */
export function asideText(gate: Pick<GateResult, 'decides' | 'aside'>): string | undefined {
  if (gate.decides !== false) return undefined;
  return `not judging this run${gate.aside ? ` (${gate.aside})` : ''}; a failure here still counts`;
}
