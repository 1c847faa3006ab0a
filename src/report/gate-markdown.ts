// The go/no-go summary as Markdown: the verdict, blocking reasons first, then per gate a table of
// criteria with measured value, limit, interval, n and the rule that decided. Used for report.md's gate
// sections and for GITHUB_STEP_SUMMARY.
import type { GateResult } from '../core/model.js';
import { sortForReading } from '../core/verdict.js';
import type { RunRecord } from '../record/run-schema.js';
import { intervalText, limitText, nText, valueText } from './figures.js';
import { mdCell, STATUS_MARK } from './text.js';

export function gateSection(gate: GateResult): string[] {
  const out: string[] = [];
  const decides = gate.decides === false ? ' (shown; does not set this run’s verdict)' : '';
  out.push(
    `## Gate ${mdCell(gate.id)}: ${gate.verdict}${decides}`,
    '',
    mdCell(gate.title),
    '',
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

/** The go/no-go summary alone (no check table), for CI job summaries. */
export function renderGateMarkdown(record: RunRecord): string {
  const out = [
    `# Cutover ${mdCell(record.command)} ${mdCell(record.id)}: ${record.verdict ?? 'no verdict'}`,
    '',
  ];
  const deciding = record.gates.filter((g) => g.decides !== false && g.verdict !== 'GO');
  if (deciding.length) {
    out.push('**Deciding:**', '');
    for (const g of deciding) out.push(`- Gate ${mdCell(g.id)} ${g.verdict}: ${mdCell(g.summary)}`);
    out.push('');
  }
  for (const g of record.gates) out.push(...gateSection(g));
  return out.join('\n');
}
