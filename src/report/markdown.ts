// The go/no-go summary as Markdown: what was decided first, then each gate's criteria, the evidence
// behind them (parity differences, security findings, load), and every check.
import type { RunRecord } from '../record/run-schema.js';
import { decisionSection, gateSection } from './gate-markdown.js';
import { loadSections } from './load-markdown.js';
import { findingsSection, paritySection } from './parity-markdown.js';
import { mdCell, mdCode } from './text.js';

export function renderMarkdown(record: RunRecord): string {
  const out: string[] = [];
  out.push(`# Cutover run ${mdCell(record.id)}: ${record.verdict ?? 'no verdict'}`, '');
  out.push(`- Project: ${mdCell(record.config.project)} (${mdCell(record.config.file)})`);
  out.push(
    `- Command: ${mdCode(`cutover ${record.command}`)}, started ${mdCell(record.startedAt)}${record.finishedAt ? `, finished ${mdCell(record.finishedAt)}` : ''}`,
  );
  out.push(`- Status: ${record.status}${record.partial ? ' (rebuilt from events.jsonl)' : ''}`);
  out.push(
    `- Environments: ${record.environments.map((e) => `${mdCell(e.name)} (${mdCell(e.kind)})`).join(', ')}`,
  );
  if (record.faults.length > 0)
    out.push(`- Injected faults: ${record.faults.map((f) => mdCode(f)).join(', ')}`);
  out.push(
    `- Tool: cutover ${mdCell(record.tool.version)} on Node ${mdCell(record.tool.node)}${record.tool.browser ? `, ${mdCell(record.tool.browser)}` : ''}`,
  );
  for (const note of record.notes ?? []) out.push(`- Note: ${mdCell(note)}`);
  out.push('');
  out.push(...decisionSection(record));
  for (const gate of record.gates) out.push(...gateSection(gate));
  if (record.gates.length === 0)
    out.push('No gate was evaluated: the run holds no evidence a gate could read.', '');
  out.push(...paritySection(record));
  out.push(...findingsSection(record));
  out.push(...loadSections(record));
  const failed = record.checks.filter((c) => c.status === 'fail');
  out.push(`## Checks (${record.checks.length}, ${failed.length} failed)`, '');
  out.push('| Environment | Service | Check | Status | Reason |', '|---|---|---|---|---|');
  const ordered = [...record.checks].sort(
    (a, b) =>
      Number(b.status === 'fail') - Number(a.status === 'fail') ||
      a.environment.localeCompare(b.environment) ||
      a.service.localeCompare(b.service),
  );
  for (const c of ordered) {
    out.push(
      `| ${mdCell(c.environment)} | ${mdCell(c.service)} | ${mdCell(c.check)} | ${c.status} | ${mdCell(c.reason)} |`,
    );
  }
  out.push('');
  return out.join('\n');
}
