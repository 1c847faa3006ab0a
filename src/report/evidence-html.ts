// The evidence sections of report.html a gate's reason can only count or hint at: every parity
// difference with both values, and every security finding, escaped like the rest of the page.
import type { RunRecord } from '../record/run-schema.js';
import { differenceValue, findingsOf, parityOf } from './evidence-text.js';
import { esc } from './svg.js';

/** More rows than this are counted, not listed, in report.html (report.json lists them all). */
const MAX_ROWS = 200;

const more = (n: number, what: string) =>
  n > MAX_ROWS ? `<p class="muted">${n - MAX_ROWS} more ${what} are in report.json.</p>` : '';

export function parityHtml(record: Pick<RunRecord, 'evidence'>): string {
  const { items, rows } = parityOf(record);
  if (items.length === 0) return '<p class="muted">No integration parity in this run.</p>';
  const compared = items.reduce((n, p) => n + p.compared, 0);
  const equal = items.reduce((n, p) => n + p.equal, 0);
  const head = `<p>${equal} of ${compared} responses equal over ${items.length} steps.</p>`;
  if (rows.length === 0)
    return `${head}<p>No difference between baseline and target after noise and ignore rules.</p>`;
  const body = rows
    .slice(0, MAX_ROWS)
    .map(
      ({ step: p, difference: d }) =>
        `<tr class="FAIL"><td>${esc(p.environment)}</td><td>${esc(`${p.scenario} › ${p.step}`)}</td><td>${esc(p.endpoint)}</td><td><code>${esc(d.path)}</code></td><td>${esc(d.kind)}</td><td><code>${esc(differenceValue(d.baseline))}</code></td><td><code>${esc(differenceValue(d.target))}</code></td></tr>`,
    )
    .join('');
  return `${head}<p class="muted">Values as JSON, so a string reads "17.5" and a number 17.5.</p><table><thead><tr><th>Target</th><th>Scenario › step</th><th>Endpoint</th><th>Path</th><th>Kind</th><th>Baseline</th><th>Target value</th></tr></thead><tbody>${body}</tbody></table>${more(rows.length, 'differences')}`;
}

const SEVERITY_CLASS: Record<string, string> = {
  critical: 'FAIL',
  high: 'FAIL',
  medium: 'INCONCLUSIVE',
  low: 'WAIVED',
  info: 'PASS',
};

export function findingsHtml(record: Pick<RunRecord, 'evidence'>): string {
  const findings = findingsOf(record);
  if (findings.length === 0) return '<p class="muted">No security findings in this run.</p>';
  const body = findings
    .slice(0, MAX_ROWS)
    .map(
      (f) =>
        `<tr class="${SEVERITY_CLASS[f.severity] ?? ''}"><td><b>${esc(f.severity)}</b></td><td>${esc(f.environment)}</td><td>${esc(f.source)}</td><td>${esc(f.check)}</td><td>${esc(f.object)}</td><td><code>${esc(f.path)}</code></td><td>${esc(f.message)}</td><td>${esc(f.remedy)}</td></tr>`,
    )
    .join('');
  const counts = (['critical', 'high', 'medium', 'low', 'info'] as const)
    .map((sev) => `${findings.filter((f) => f.severity === sev).length} ${sev}`)
    .join(', ');
  // Folded when nothing in it is critical or high: a page of plain-HTTP notes would bury the charts.
  const serious = findings.some((f) => f.severity === 'critical' || f.severity === 'high');
  return `<p class="muted">Every finding of the security suite, most severe first, whether or not a gate reads it.</p><details${serious ? ' open' : ''}><summary>${findings.length} findings: ${counts}</summary><table><thead><tr><th>Severity</th><th>Environment</th><th>Source</th><th>Check</th><th>Object</th><th>Path</th><th>Message</th><th>Remedy</th></tr></thead><tbody>${body}</tbody></table>${more(findings.length, 'findings')}</details>`;
}
