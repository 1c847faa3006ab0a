// Text from responses cannot rewrite a report: bidi controls and other invisible format characters in a
// check's reason, a parity difference, a finding's message and a service name are made visible in every
// renderer — console, report.md, report.html, report.json, JUnit XML, --json and the step summary.
import { describe, expect, it } from 'vitest';
import { renderVerdict } from '../../src/report/console.js';
import { renderReportFiles } from '../../src/report/files.js';
import { renderGateMarkdown } from '../../src/report/gate-markdown.js';
import { renderJsonSummary } from '../../src/report/json-summary.js';
import { HOSTILE, hostileRecord, RAW_HIDDEN } from '../helpers/gate-record.js';

const record = hostileRecord();
const files = renderReportFiles(record);

/** Every hidden character of HOSTILE, and where the first one sits. */
function rawIn(text: string): string[] {
  return [...text.matchAll(new RegExp(RAW_HIDDEN, 'gu'))].map(
    (m) =>
      `U+${m[0].codePointAt(0)!.toString(16).toUpperCase()} at …${text.slice(Math.max(0, m.index - 30), m.index)}`,
  );
}

describe('hostile strings in every renderer', () => {
  it('the record carries them where a run would: service, reason, parity, finding, gate reasons', () => {
    expect(rawIn(record.checks.map((c) => c.reason).join(' ')).length).toBeGreaterThan(0);
    expect(record.gates.find((g) => g.id === 'smoke')!.criteria.some((c) => c.reason.includes(HOSTILE))).toBe(
      true,
    );
    expect(record.gates.some((g) => g.criteria.some((c) => c.id.includes(HOSTILE)))).toBe(true);
  });

  it('console: shown as escapes, in plain and in verbose output', () => {
    for (const verbose of [false, true]) {
      const out = renderVerdict(record, 'reports/x', { colors: true, verbose });
      expect(rawIn(out)).toEqual([]);
      expect(out).toContain('\\u202E');
      expect(out).toContain('api');
    }
  });

  it('report.md and the step summary: shown as escapes in text, tables and code spans', () => {
    for (const md of [files['report.md']!, renderGateMarkdown(record)]) {
      expect(rawIn(md)).toEqual([]);
      expect(md).toContain('\\u202E');
    }
    const md = files['report.md']!;
    // The finding's message, the difference's path and values, the check's reason.
    expect(md).toMatch(/\| high \| target \| http-security \|.*ok\\u202Aa\\u202Bb/);
    expect(md).toMatch(/`\$\.noteok\\u202Aa/);
    expect(md).toContain('"said ok\\u202Aa');
    expect(md).toContain('health payload says ok\\u202Aa');
  });

  it('report.html: shown as escapes, in text and in attributes', () => {
    const html = files['report.html']!;
    expect(rawIn(html)).toEqual([]);
    expect(html).toContain('health payload says ok\\u202Aa');
    expect(html).toMatch(/title="[^"]*\\u202E/);
  });

  it('report.junit.xml: shown as escapes', () => {
    const xml = files['report.junit.xml']!;
    expect(rawIn(xml)).toEqual([]);
    expect(xml).toContain('\\u202E');
  });

  it('report.json and --json: JSON escapes, so the values read back unchanged', () => {
    const json = files['report.json']!;
    expect(rawIn(json)).toEqual([]);
    const report = JSON.parse(json);
    expect(report.findings[0].message).toBe(HOSTILE);
    expect(report.parity[0].differences[0].baseline).toBe(`said ${HOSTILE}`);
    const summary = renderJsonSummary(record, 'reports/x');
    expect(rawIn(summary)).toEqual([]);
    expect(JSON.stringify(JSON.parse(summary))).toContain(HOSTILE);
  });
});
