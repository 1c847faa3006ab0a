// The go/no-go summary as Markdown: what was decided (verdict, a line per gate, the success criteria),
// then per gate its blocking reasons and a table of criteria with measured value, limit, interval, n
// and the rule that decided. Used for report.md's gate sections and for GITHUB_STEP_SUMMARY.

import type { GateResult } from '../core/model.js';
import { evidenceText, STATE_LABEL } from '../core/success-criteria.js';
import { sortForReading } from '../core/verdict.js';
import type { RunRecord } from '../record/run-schema.js';
import { decisionOf, gateRole } from './decision.js';
import { intervalText, limitText, nText, valueText } from './figures.js';
import { mdCell, STATUS_MARK } from './text.js';

/** The decision at a glance: the verdict and why, one row per gate, one per success criterion. */
export function decisionSection(record: Pick<RunRecord, 'verdict' | 'gates'>): string[] {
  if (record.gates.length === 0) return [];
  const d = decisionOf(record);
  const out = [
    '## Decision',
    '',
    `**Verdict: ${d.verdict}**${d.why ? ` — ${mdCell(d.why)}` : ''}`,
    '',
    '| Gate | Verdict | Blocking reasons |',
    '|---|---|---|',
  ];
  for (const { gate, role, blocking } of d.gates)
    out.push(`| ${mdCell(gate.id)} | ${gate.verdict}${role ? ` (${role})` : ''} | ${mdCell(blocking)} |`);
  out.push('', '| # | Success criterion | Evidence | Detail |', '|---|---|---|---|');
  for (const sc of d.successCriteria)
    out.push(`| ${sc.criterion} | ${sc.title} | ${STATE_LABEL[sc.state]} | ${mdCell(evidenceText(sc))} |`);
  out.push('');
  return out;
}

export function gateSection(gate: GateResult): string[] {
  const out: string[] = [];
  const role = gateRole(gate);
  out.push(
    `## Gate ${mdCell(gate.id)}: ${gate.verdict}`,
    '',
    mdCell(gate.title),
    '',
    ...(role ? [`*${mdCell(role)}*`, ''] : []),
    `**Why:** ${mdCell(gate.summary)}`,
    '',
  );
  const blocking = gate.criteria.filter(
    (c) => c.blocking && (c.status === 'FAIL' || c.status === 'INCONCLUSIVE'),
  );
  if (blocking.length > 0) {
    out.push('Blocking:', '');
    for (const c of sortForReading(blocking))
      out.push(`- ${STATUS_MARK[c.status]} **${mdCell(c.id)}** ${c.status}: ${mdCell(c.reason)}`);
    out.push('');
  }
  if (gate.missing?.length) {
    out.push('Missing evidence:', '');
    for (const m of gate.missing) out.push(`- ${mdCell(m)}`);
    out.push('');
  }
  out.push(
    '| | Criterion | Status | Blocking | Value | Limit | Interval | n (target / baseline) | Rule | Reason |',
    '|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const c of sortForReading(gate.criteria)) {
    out.push(
      `| ${STATUS_MARK[c.status]} | ${mdCell(c.id)} | ${c.status} | ${c.blocking ? 'yes' : 'no'} | ${mdCell(valueText(c))} | ${mdCell(limitText(c))} | ${mdCell(intervalText(c))} | ${nText(c)} | ${mdCell(c.rule ?? '—')} | ${mdCell(c.reason)} |`,
    );
  }
  out.push('');
  return out;
}

/** The go/no-go summary alone (no evidence tables), for CI job summaries. */
export function renderGateMarkdown(record: RunRecord): string {
  const out = [
    `# Cutover ${mdCell(record.command)} ${mdCell(record.id)}: ${record.verdict ?? 'no verdict'}`,
    '',
  ];
  out.push(...decisionSection(record));
  for (const g of record.gates) out.push(...gateSection(g));
  return out.join('\n');
}
