// The verdict as a person reads it at the end of a run: verdict, why, the criteria that decided, where
// the report is. Colours only when the screen has them. Every string from a run goes through visible():
// a response's ESC, CR or right-to-left override must not repaint or reorder the screen.
import { styleText } from 'node:util';
import type { CriterionResult, Verdict } from '../core/model.js';
import { sortForReading } from '../core/verdict.js';
import type { RunRecord } from '../record/run-schema.js';
import { gateRole, verdictReason } from './decision.js';
import { criteriaCount, STATUS_MARK, visible } from './text.js';

export interface Screen {
  colors: boolean;
  verbose?: boolean;
}

type Style = Parameters<typeof styleText>[0];

function paint(screen: Screen, style: Style, text: string): string {
  return screen.colors ? styleText(style, text) : text;
}

const VERDICT_STYLE: Record<Verdict, Style> = { GO: 'green', 'NO-GO': 'red', INCONCLUSIVE: 'yellow' };
const STATUS_STYLE: Record<CriterionResult['status'], Style> = {
  PASS: 'green',
  FAIL: 'red',
  INCONCLUSIVE: 'yellow',
  WAIVED: 'cyan',
};

export function renderVerdict(record: RunRecord, reportDir: string, screen: Screen): string {
  const lines: string[] = [''];
  const verdict = record.verdict ?? 'INCONCLUSIVE';
  for (const gate of record.gates) {
    lines.push(
      `${paint(screen, 'bold', `Gate ${visible(gate.id)}`)}: ${paint(screen, VERDICT_STYLE[gate.verdict], gate.verdict)} — ${visible(gate.title)}`,
    );
    const role = gateRole(gate);
    if (role) lines.push(`  ${paint(screen, 'dim', `↳ ${visible(role)}`)}`);
    const sorted = sortForReading(gate.criteria);
    let shown = screen.verbose ? sorted : sorted.filter((c) => c.status !== 'PASS');
    // A gate only shown beside the verdict, for want of evidence, would fill the screen with one
    // "no evidence" line per criterion (a perf-only run shows eight gates of them): its criteria without
    // evidence become one line. Those of a deciding gate stay one per line, since they explain the
    // verdict; the report files and --verbose list them all.
    const unevidenced =
      gate.decides === false && !screen.verbose
        ? shown.filter((c) => c.status === 'INCONCLUSIVE' && c.missing !== undefined)
        : [];
    shown = shown.filter((c) => !unevidenced.includes(c));
    for (const c of shown) {
      const mark = paint(screen, STATUS_STYLE[c.status], `${STATUS_MARK[c.status]} ${c.status.padEnd(12)}`);
      lines.push(`  ${mark} ${visible(c.id)}${c.blocking ? '' : ' (warning only)'}: ${visible(c.reason)}`);
    }
    if (unevidenced.length > 0)
      lines.push(
        `  ${paint(screen, STATUS_STYLE.INCONCLUSIVE, `${STATUS_MARK.INCONCLUSIVE} ${criteriaCount(unevidenced.length)} without evidence in this run`)}: ${visible(unevidenced.map((c) => c.id).join(', '))}`,
      );
    const passed = gate.criteria.filter((c) => c.status === 'PASS').length;
    if (!screen.verbose && passed > 0)
      lines.push(`  ${paint(screen, 'green', `✓ ${criteriaCount(passed)} passed`)}`);
  }
  if (record.gates.length === 0) lines.push('No gate was evaluated.');
  lines.push('');
  const why = verdictReason(record);
  lines.push(
    `${paint(screen, 'bold', 'Verdict:')} ${paint(screen, VERDICT_STYLE[verdict], verdict)}${why ? ` — ${visible(why)}` : ''}`,
  );
  for (const note of record.notes ?? []) lines.push(`Note: ${visible(note)}`);
  lines.push(`Report: ${visible(reportDir)}`);
  return `${lines.join('\n')}\n`;
}
