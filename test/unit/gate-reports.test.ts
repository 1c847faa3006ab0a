// Golden files for every report format (UPDATE_GOLDEN=1 rewrites them), the published JSON Schema, and
// escaping of hostile strings. Times and paths are normalised before comparing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { renderReportFiles } from '../../src/report/files.js';
import { renderGateMarkdown } from '../../src/report/gate-markdown.js';
import { gateReportJsonSchema } from '../../src/report/gate-report.js';
import { renderJsonSummary } from '../../src/report/json-summary.js';
import { gateRecord } from '../helpers/gate-record.js';
import { expectGolden } from '../helpers/golden.js';
import { ROOT } from '../helpers/project.js';

function normalise(text: string): string {
  return text
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>')
    .replace(/v\d+\.\d+\.\d+/g, '<node>')
    .replaceAll(ROOT, '<root>');
}

function golden(name: string, actual: string): void {
  expectGolden(`gates/${name}`, normalise(actual));
}

describe('gate reports', () => {
  const record = gateRecord();
  const files = renderReportFiles(record, {
    history: [
      {
        id: '20261127-030000-0001',
        startedAt: '2026-11-27T03:00:00.000Z',
        verdict: 'GO',
        failed: 0,
        inconclusive: 0,
      },
      {
        id: '20261126-030000-0002',
        startedAt: '2026-11-26T03:00:00.000Z',
        verdict: 'NO-GO',
        failed: 2,
        inconclusive: 1,
      },
    ],
  });

  it('the constructed run is a NO-GO for the reasons built into it', () => {
    const wave = record.gates.find((g) => g.id === '3-rentguy')!;
    expect(wave.verdict).toBe('NO-GO');
    const failed = wave.criteria.filter((c) => c.status === 'FAIL').map((c) => c.id);
    expect(failed).toEqual(expect.arrayContaining(['smoke', 'parity', 'perf.median', 'perf.errors']));
  });

  it('Markdown: verdict, blocking reasons first, figures per criterion', () => {
    golden('report.md', files['report.md']!);
    expect(files['report.md']).toContain('| Value | Limit | Interval | n (target / baseline) | Rule |');
    golden('step-summary.md', renderGateMarkdown(record));
  });

  it('Markdown opens on the decision: verdict, a row per gate, the six success criteria', () => {
    for (const md of [files['report.md']!, renderGateMarkdown(record)]) {
      const decision = md.slice(md.indexOf('## Decision'), md.indexOf('## Gate smoke'));
      expect(decision).toContain(
        '**Verdict: NO-GO** — gates smoke, performance, 3-rentguy, 4; gate smoke: smoke.rentguy-web',
      );
      expect(decision).toMatch(
        /\| 3-psra \| INCONCLUSIVE \(not judging this run\) \| no evidence in this run: smoke, parity/,
      );
      expect(decision).toMatch(
        /\| 2 \| Performance equal or better than Compose \| failed \| failed: median \(gate performance\), errors \(gate performance\), perf\.median \(gate 3-rentguy\)/,
      );
      expect(decision).toContain(
        '| 5 | Backup and restore tested | no evidence in this run | no evidence: backup (gates 4, 5) |',
      );
      expect(decision.match(/^\| [1-6] \| [A-Z][a-z]/gm)).toHaveLength(6);
    }
  });

  it('Markdown: a relative criterion shows baseline, target, ratio and the limit the target is held to', () => {
    const md = files['report.md']!;
    expect(md).toContain(
      '| target 44.8 ms, baseline 3.00 ms, ratio 14.96 | 1.1 × baseline + 10.0 ms = 13.3 ms | target − 1.1 × baseline: 40.2 ms … 42.8 ms (90 %) |',
    );
    expect(md).toContain(
      '| target 3.75 %, baseline 0.125 %, difference +3.62 pp | baseline + 2.00 pp = 2.13 % | difference: +2.57 pp … +4.90 pp (90 %) |',
    );
    expect(md).toContain(
      '| target 92.50 %, baseline 100.00 %, difference −7.50 pp | baseline − 2.00 pp = 98.00 % |',
    );
  });

  it('Markdown: plain text is backslash-escaped, not entity-encoded; parity values show their kind', () => {
    const md = files['report.md']!;
    expect(md).not.toContain('&lt;');
    expect(md).toContain('- Project: Sevensa \\<test> (cutover.config.ts)');
    expect(md).toContain('p < 0.0001');
    expect(md).toContain('| `$.price` | type | "17.5" | 17.5 |');
    expect(md).toContain('| `$.note<script>alert(1)</script>` | value | "a & b" |');
  });

  it('every report lists the parity differences with their values and every security finding', () => {
    const report = JSON.parse(files['report.json']!);
    const quote = report.parity.find((p: { step: string }) => p.step === 'quote');
    expect(quote.differences).toContainEqual({
      path: '$.price',
      kind: 'type',
      baseline: '17.5',
      target: 17.5,
    });
    expect(report.findings.map((f: { source: string }) => f.source)).toEqual(['posture', 'http-security']);
    expect(report.findings[1].message).toBe('allows origin "https://evil.test\u202E<b>moc.elgoog"');
    expect(report.successCriteria.map((e: { state: string }) => e.state)).toEqual([
      'failed',
      'failed',
      'failed',
      'no-evidence',
      'no-evidence',
      'no-evidence',
    ]);
    const html = files['report.html']!;
    expect(html).toContain('<td><code>&quot;17.5&quot;</code></td><td><code>17.5</code></td>');
    expect(html).toContain('allows origin &quot;https://evil.test\\u202E&lt;b&gt;moc.elgoog&quot;');
    const md = files['report.md']!;
    expect(md).toContain('| low | target | http-security | cors |');
  });

  it('JSON: versioned, valid against the published JSON Schema', () => {
    golden('report.json', files['report.json']!);
    const schemaText = gateReportJsonSchema();
    const published = join(ROOT, 'schemas/cutover.gate-report.v1.json');
    if (process.env.UPDATE_GOLDEN) writeFileSync(published, schemaText);
    expect(readFileSync(published, 'utf8')).toBe(schemaText);
    const ajv = new Ajv2020.default({ strict: false });
    const validate = ajv.compile(JSON.parse(schemaText));
    expect(validate(JSON.parse(files['report.json']!)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ schema: 'cutover.gate-report/v1', verdict: 'MAYBE' })).toBe(false);
    // Fields are added, never removed: a report written before successCriteria, parity and findings
    // still validates.
    const { successCriteria: _s, parity: _p, findings: _f, ...first } = JSON.parse(files['report.json']!);
    expect(validate(first), JSON.stringify(validate.errors)).toBe(true);
  });

  it('JUnit: one test case per criterion, failures and blocking INCONCLUSIVE as errors', () => {
    const xml = files['report.junit.xml']!;
    golden('report.junit.xml', xml);
    const cases = record.gates.reduce((n, g) => n + g.criteria.length, 0);
    expect(xml.match(/<testcase /g)).toHaveLength(cases);
    expect(xml).not.toContain(String.fromCharCode(7));
    expect(xml).not.toContain('<b>');
  });

  it('HTML: self-contained, escaped, with inline SVG charts', () => {
    const html = files['report.html']!;
    golden('report.html', html);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)=["']?https?:/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Sevensa &lt;test&gt;');
    expect(html.match(/<svg /g)!.length).toBeGreaterThanOrEqual(5);
  });

  it('--json keeps the foundation fields and adds the figures', () => {
    const json = JSON.parse(renderJsonSummary(record, 'reports/x'));
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(['verdict', 'reportDir', 'runId', 'status', 'criteria', 'gates', 'checks']),
    );
    const perf = json.gates
      .find((g: { id: string }) => g.id === '3-rentguy')
      .criteria.find((c: { id: string }) => c.id === 'perf.median');
    expect(perf).toMatchObject({ status: 'FAIL', unit: 'ms', limit: 10, n: 800, nBaseline: 800 });
    expect(perf.interval.level).toBeCloseTo(0.9);
    expect(perf.rule).toContain('Holm');
  });
});
