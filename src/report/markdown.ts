// The go/no-go summary as Markdown: verdict, deciding reasons first, then every criterion and check.
import type { RunRecord } from '../record/run-schema.js';
import { gateSection } from './gate-markdown.js';
import { loadSections } from './load-markdown.js';
import { paritySection } from './parity-markdown.js';
import { mdCell } from './text.js';

export function renderMarkdown(record: RunRecord): string {
  const out: string[] = [];
  out.push(`# Cutover run ${record.id}: ${record.verdict ?? 'no verdict'}`, '');
  if (record.verdictReason) out.push(`**Why:** ${mdCell(record.verdictReason)}`, '');
  out.push(`- Project: ${record.config.project} (${record.config.file})`);
  out.push(
    `- Command: \`cutover ${record.command}\`, started ${record.startedAt}${record.finishedAt ? `, finished ${record.finishedAt}` : ''}`,
  );
  out.push(`- Status: ${record.status}${record.partial ? ' (rebuilt from events.jsonl)' : ''}`);
  out.push(`- Environments: ${record.environments.map((e) => `${e.name} (${e.kind})`).join(', ')}`);
  if (record.faults.length > 0)
    out.push(`- Injected faults: ${record.faults.map((f) => `\`${f}\``).join(', ')}`);
  out.push(`- Tool: cutover ${record.tool.version} on Node ${record.tool.node}`);
  for (const note of record.notes ?? []) out.push(`- Note: ${note}`);
  out.push('');
  for (const gate of record.gates) out.push(...gateSection(gate));
  if (record.gates.length === 0)
    out.push('No gate was evaluated: the run holds no evidence a gate could read.', '');
  out.push(...paritySection(record));
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
