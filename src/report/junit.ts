// JUnit XML for CI: one test suite per gate, one test case per criterion. FAIL is a <failure>; a
// blocking INCONCLUSIVE is an <error> (the gate cannot be GO, CI must not show green); a warning-only
// INCONCLUSIVE and a WAIVED criterion are <skipped> with the reason.
import type { RunRecord } from '../record/run-schema.js';
import { intervalText, limitText, nText, valueText } from './figures.js';

import { visible } from './text.js';

/**
 * Escapes text for XML content and attributes. visible() first: it writes the control characters XML
 * 1.0 cannot carry at all, and the bidirectional and invisible ones a CI page would show raw, as escapes.
 */
export function xmlEscape(text: string): string {
  return visible(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function renderJunit(record: RunRecord): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const all = record.gates.flatMap((g) => g.criteria);
  const count = (s: string) => all.filter((c) => c.status === s).length;
  const errors = all.filter((c) => c.status === 'INCONCLUSIVE' && c.blocking).length;
  lines.push(
    `<testsuites name="cutover ${xmlEscape(record.id)}" tests="${all.length}" failures="${count('FAIL')}" errors="${errors}" skipped="${all.length - count('FAIL') - count('PASS') - errors}">`,
  );
  for (const g of record.gates) {
    const fails = g.criteria.filter((c) => c.status === 'FAIL').length;
    const errs = g.criteria.filter((c) => c.status === 'INCONCLUSIVE' && c.blocking).length;
    const skipped = g.criteria.filter(
      (c) => c.status === 'WAIVED' || (c.status === 'INCONCLUSIVE' && !c.blocking),
    ).length;
    lines.push(
      `  <testsuite name="gate ${xmlEscape(g.id)}: ${xmlEscape(g.verdict)}" tests="${g.criteria.length}" failures="${fails}" errors="${errs}" skipped="${skipped}" timestamp="${xmlEscape(record.startedAt)}">`,
    );
    lines.push(
      `    <properties><property name="verdict" value="${xmlEscape(g.verdict)}"/><property name="summary" value="${xmlEscape(g.summary)}"/></properties>`,
    );
    for (const c of g.criteria) {
      const figures = `value ${valueText(c)}; limit ${limitText(c)}; interval ${intervalText(c)}; n ${nText(c)}; rule: ${c.rule ?? '—'}`;
      lines.push(
        `    <testcase classname="cutover.gate.${xmlEscape(g.id)}" name="${xmlEscape(c.id)}: ${xmlEscape(c.title)}">`,
      );
      const msg = `${c.status}: ${c.reason}`;
      if (c.status === 'FAIL')
        lines.push(`      <failure type="FAIL" message="${xmlEscape(msg)}">${xmlEscape(figures)}</failure>`);
      else if (c.status === 'INCONCLUSIVE' && c.blocking)
        lines.push(
          `      <error type="INCONCLUSIVE" message="${xmlEscape(msg)}">${xmlEscape(figures)}</error>`,
        );
      else if (c.status !== 'PASS') lines.push(`      <skipped message="${xmlEscape(msg)}"/>`);
      lines.push(`      <system-out>${xmlEscape(c.reason)}\n${xmlEscape(figures)}</system-out>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
