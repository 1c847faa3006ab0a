// The evidence sections of the Markdown report that the gates' one-line reasons can only count or hint
// at: every parity difference by scenario and step with both values, and every security finding —
// what a person checks before the decision.
import type { RunRecord } from '../record/run-schema.js';
import { differenceValue, findingsOf, parityOf } from './evidence-text.js';
import { mdCell, mdCode } from './text.js';

/** More findings than this are counted, not listed, in report.md (report.json lists them all). */
const MAX_FINDINGS = 100;

export function paritySection(record: Pick<RunRecord, 'evidence'>): string[] {
  const { items, rows } = parityOf(record);
  if (items.length === 0) return [];
  const compared = items.reduce((n, p) => n + p.compared, 0);
  const equal = items.reduce((n, p) => n + p.equal, 0);
  const notCompared = items.filter((p) => p.compared === 0);
  const out = [`## Integration parity (${equal} of ${compared} responses equal)`, ''];
  if (rows.length === 0)
    out.push('No difference between baseline and target after noise and ignore rules.', '');
  else {
    out.push(
      'Values as JSON, so a string reads `"17.5"` and a number `17.5`.',
      '',
      '| Target | Scenario › step | Endpoint | Path | Kind | Baseline | Target value |',
      '|---|---|---|---|---|---|---|',
    );
    for (const { step: p, difference: d } of rows) {
      out.push(
        `| ${mdCell(p.environment)} | ${mdCell(`${p.scenario} › ${p.step}`)} | ${mdCell(p.endpoint)} | ${mdCode(d.path, true)} | ${mdCell(d.kind)} | ${mdCell(differenceValue(d.baseline))} | ${mdCell(differenceValue(d.target))} |`,
      );
    }
    out.push('');
  }
  if (notCompared.length > 0) {
    // Missing evidence, each step with its reason: a parity criterion of its service cannot pass.
    out.push(`Not compared — missing evidence (${notCompared.length} steps):`, '');
    for (const p of notCompared)
      out.push(
        `- ${mdCell(p.environment)}: step '${mdCell(p.step)}' of scenario '${mdCell(p.scenario)}' ${mdCell(p.reason ?? 'was not compared (no baseline answer, or no further baseline answer to tell noise by)')}`,
      );
    out.push('');
  }
  const noisy = [...new Set(items.flatMap((p) => p.noise))].sort();
  if (noisy.length > 0)
    out.push(
      `Noise (differed between the baseline's answers, read the clock, or learned by a recorded baseline; values there are compared by format only, arrays without their order; \`[*]\` is any element): ${noisy.map((n) => mdCode(n)).join(', ')}.`,
      '',
    );
  return out;
}

export function findingsSection(record: Pick<RunRecord, 'evidence'>): string[] {
  const findings = findingsOf(record);
  if (findings.length === 0) return [];
  const out = [
    `## Security findings (${findings.length})`,
    '',
    'Every finding of the security suite (HTTP security, posture, kube-bench, readiness), most severe first, whether or not a gate reads it.',
    '',
    '| Severity | Environment | Source | Check | Object | Path | Message | Remedy |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const f of findings.slice(0, MAX_FINDINGS)) {
    out.push(
      `| ${mdCell(f.severity)} | ${mdCell(f.environment)} | ${mdCell(f.source)} | ${mdCell(f.check)} | ${mdCell(f.object)} | ${mdCode(f.path, true)} | ${mdCell(f.message)} | ${mdCell(f.remedy)} |`,
    );
  }
  if (findings.length > MAX_FINDINGS)
    out.push('', `${findings.length - MAX_FINDINGS} more findings are in report.json.`);
  out.push('');
  return out;
}
