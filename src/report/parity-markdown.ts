// The integration parity section of the Markdown report: every difference the gates' one-line reasons
// can only hint at, by scenario and step, with both values — what a person checks before the decision.
import type { ParityEvidence } from '../core/evidence.js';
import type { RunRecord } from '../record/run-schema.js';
import { mdCell, mdCode } from './text.js';

const show = (v: unknown) => (v === undefined ? '(absent)' : typeof v === 'string' ? v : JSON.stringify(v));

export function paritySection(record: Pick<RunRecord, 'evidence'>): string[] {
  const items = record.evidence.filter((e): e is ParityEvidence => e.kind === 'parity');
  if (items.length === 0) return [];
  const compared = items.reduce((n, p) => n + p.compared, 0);
  const equal = items.reduce((n, p) => n + p.equal, 0);
  const notCompared = items.filter((p) => p.compared === 0);
  const differing = items.filter((p) => p.equal < p.compared);
  const out = [`## Integration parity (${equal} of ${compared} responses equal)`, ''];
  if (differing.length === 0)
    out.push('No difference between baseline and target after noise and ignore rules.', '');
  else {
    out.push(
      '| Target | Scenario › step | Endpoint | Path | Kind | Baseline | Target value |',
      '|---|---|---|---|---|---|---|',
    );
    for (const p of differing) {
      for (const d of p.differences) {
        out.push(
          `| ${mdCell(p.environment)} | ${mdCell(`${p.scenario} › ${p.step}`)} | ${mdCell(p.endpoint)} | ${mdCode(d.path, true)} | ${mdCell(d.kind)} | ${mdCell(show(d.baseline))} | ${mdCell(show(d.target))} |`,
        );
      }
    }
    out.push('');
  }
  if (notCompared.length > 0) {
    out.push(
      `Not compared (no baseline answer, or no second baseline answer to tell noise): ${mdCell(notCompared.map((p) => `${p.scenario} › ${p.step}`).join(', '))}.`,
      '',
    );
  }
  const noisy = [...new Set(items.flatMap((p) => p.noise))].sort();
  if (noisy.length > 0)
    out.push(
      `Noise (differed between the baseline's two answers, compared by format only): ${noisy.map((n) => mdCode(n)).join(', ')}.`,
      '',
    );
  return out;
}
