// The browser suite's section of report.html: every browser check with its reason, and links to the
// files the run kept beside the record — each page's baseline and target screenshots and their diff
// image, a failed test's trace, screenshot and error context. Links are relative to the run folder, where
// report.html lives; the page loads nothing by itself (its policy allows inline data only).
import type { CheckResult } from '../core/model.js';
import type { RunRecord } from '../record/run-schema.js';
import { esc } from './svg.js';

/** The check data keys that name a kept file, and how a link to it reads. */
const FILES: ReadonlyArray<[string, string]> = [
  ['diffImage', 'diff image'],
  ['baselineImage', 'baseline screenshot'],
  ['targetImage', 'target screenshot'],
  ['trace', 'trace'],
  ['screenshot', 'failure screenshot'],
  ['errorContext', 'error context'],
  ['video', 'video'],
];

function links(check: CheckResult): string {
  const out: string[] = [];
  for (const [key, label] of FILES) {
    const path = check.data?.[key];
    // Only the run's own relative paths: a record edited to point elsewhere gets no link.
    if (typeof path === 'string' && !path.startsWith('/') && !path.includes('..'))
      out.push(`<a href="${esc(path)}">${esc(label)}</a>`);
  }
  return out.join(' · ');
}

const ORDER = ['run', 'login', 'spec', 'visual', 'console', 'network', 'a11y'];

export function browserHtml(record: Pick<RunRecord, 'checks' | 'tool'>): string {
  const checks = record.checks
    .filter((c) => c.suite === 'browser')
    .sort(
      (a, b) => a.environment.localeCompare(b.environment) || ORDER.indexOf(a.check) - ORDER.indexOf(b.check),
    );
  if (checks.length === 0) return '<p class="muted">The browser suite did not run.</p>';
  const failed = checks.filter((c) => c.status === 'fail').length;
  const head = `<p>${checks.length} browser checks, ${failed} failed${record.tool.browser ? `, in ${esc(record.tool.browser)}` : ''}.</p>`;
  const rows = checks
    .map((c) => {
      const cls = c.status === 'fail' ? 'FAIL' : c.status === 'pass' ? 'PASS' : 'INCONCLUSIVE';
      const flaky = c.data?.flaky === true ? ' <strong>flaky</strong>' : '';
      return `<tr class="${cls}"><td>${esc(c.environment)}</td><td>${esc(c.check)}</td><td>${esc(c.status)}${flaky}</td><td class="reason">${esc(c.reason)}</td><td>${links(c)}</td></tr>`;
    })
    .join('');
  return `${head}<table><thead><tr><th>Environment</th><th>Check</th><th>Status</th><th>Reason</th><th>Files</th></tr></thead><tbody>${rows}</tbody></table>`;
}
