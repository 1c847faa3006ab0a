// `cutover status` as Markdown: the migration at a glance for the weekly status report — a table of the
// five phases, then per phase each gate's latest verdict, when and by what it was decided, what blocks
// it, its evidence's age against each criterion's limit, its waivers; the six success criteria; the
// waivers and sign-offs on file with their expiry. Printed by `cutover status` and written as status.md.
import type { EvidenceAge, GateStatus, MigrationStatus, PhaseStatus } from '../core/status/status.js';
import { evidenceText, STATE_LABEL, type SuccessCriterionEvidence } from '../core/success-criteria.js';
import { mdCell, mdCode } from './text.js';

const MAX_HISTORY = 12;

/** A success criterion's state and evidence in words, across runs ("in this run" is a run report's). */
export function criterionWords(e: SuccessCriterionEvidence): { state: string; text: string } {
  if (e.state === 'not-covered')
    return { state: STATE_LABEL[e.state], text: 'no evaluated gate has a criterion for it' };
  return { state: e.state === 'no-evidence' ? 'no evidence' : STATE_LABEL[e.state], text: evidenceText(e) };
}

/** A verdict as it reads in a table; `none` before a gate was ever judged. */
export const verdictWord = (v: string): string => (v === 'none' ? 'not judged yet' : v);

function gateLine(g: GateStatus): string {
  const d = g.decision;
  if (!d) return `${mdCode(g.id, true)}: not judged yet`;
  return `${mdCode(g.id, true)}: ${d.verdict}${g.changedSince.length ? ' (no longer holds)' : ''}`;
}

function phaseRow(p: PhaseStatus): string {
  const gates = p.gates.length ? p.gates.map(gateLine).join('<br>') : 'no gate for this phase';
  return `| ${p.phase} ${mdCell(p.title)} | **${verdictWord(p.verdict)}** | ${gates} |`;
}

function ageCell(e: EvidenceAge): string {
  return e.state === 'stale' ? `**STALE** — ${mdCell(e.text)}` : mdCell(e.text);
}

function gateSection(g: GateStatus): string[] {
  const out = [
    `### Gate ${mdCode(g.id)} — ${mdCell(g.title)}: ${g.decision ? `**${g.decision.verdict}**` : 'not judged yet'}`,
    '',
  ];
  const d = g.decision;
  if (!d) {
    out.push(
      `No recorded run has evaluated this gate: run \`cutover gate --phase ${g.id}\` on a run that covers it.`,
      '',
    );
    return out;
  }
  out.push(
    `Decided ${mdCell(d.decidedAt)} by ${mdCode(`cutover ${d.command}`)} (run ${mdCode(d.runId)})${d.decides ? '' : ', evaluated beside that run (not judging it)'}.`,
    '',
  );
  if (g.changedSince.length)
    out.push(
      '**No longer holds as decided** — judged again today it would not be GO:',
      '',
      ...g.changedSince.map((c) => `- ${mdCell(c)}`),
      '',
    );
  if (g.blockers.length) {
    out.push('Blocked by:', '');
    for (const b of g.blockers) out.push(`- ${mdCode(b.criterion)} ${b.status}: ${mdCell(b.reason)}`);
    out.push('');
  } else out.push(`Blocked by nothing: ${mdCell(d.summary)}.`, '');
  if (g.evidence.length) {
    out.push('| criterion | evidence | collected | age against its limit |', '|---|---|---|---|');
    for (const e of g.evidence)
      out.push(
        `| ${mdCode(e.criterion, true)} | ${mdCell(e.reads)} | ${mdCell(e.at ?? '—')} | ${ageCell(e)} |`,
      );
    out.push('');
  }
  if (g.waivers.length) {
    out.push('| waived criterion | owner | expires | today |', '|---|---|---|---|');
    for (const w of g.waivers)
      out.push(
        `| ${mdCode(w.criterion, true)} | ${mdCell(w.owner)} | ${mdCell(w.expires)} | ${w.expired ? '**EXPIRED**' : 'applies'} |`,
      );
    out.push('');
  }
  if (g.history.length > 1) {
    const shown = g.history.slice(-MAX_HISTORY);
    out.push(
      `Verdicts over the last ${shown.length} evaluations, oldest first: ${shown.map((h) => h.verdict).join(' → ')}`,
      '',
    );
  }
  return out;
}

export function renderStatusMarkdown(status: MigrationStatus, project: string): string {
  const out = [`# Migration status — ${mdCell(project)}`, ''];
  out.push(
    status.latestRun
      ? `As of ${mdCell(status.generatedAt)}, from ${status.runs} recorded run(s); the newest is ${mdCode(status.latestRun.id)} (${mdCode(`cutover ${status.latestRun.command}`)}, ${mdCell(status.latestRun.startedAt)}).`
      : `As of ${mdCell(status.generatedAt)}: no recorded runs yet — run \`cutover run\` or \`cutover demo\`, then \`cutover gate --phase N\`.`,
    '',
    '| phase | verdict | gates |',
    '|---|---|---|',
    ...status.phases.map(phaseRow),
    '',
    '## Success criteria',
    '',
    '| # | criterion | state | evidence |',
    '|---|---|---|---|',
    ...status.successCriteria.map(
      (e) =>
        `| ${e.criterion} | ${mdCell(e.title)} | ${criterionWords(e).state} | ${mdCell(criterionWords(e).text)} |`,
    ),
    '',
    '(From the latest evaluation of every gate.)',
    '',
  );
  for (const p of status.phases) {
    out.push(`## Phase ${p.phase} — ${mdCell(p.title)}: ${verdictWord(p.verdict)}`, '');
    if (p.gates.length === 0) out.push('No gate for this phase in the project.', '');
    for (const g of p.gates) out.push(...gateSection(g));
  }
  out.push('## Waivers on file', '');
  if (status.waivers.length === 0) out.push('None.', '');
  else {
    out.push('| criterion | owner | reason | expires | today |', '|---|---|---|---|---|');
    for (const w of status.waivers)
      out.push(
        `| ${mdCode(w.criterion, true)} | ${mdCell(w.owner)} | ${mdCell(w.reason)} | ${mdCell(w.expires)} | ${w.expired ? '**EXPIRED**' : 'applies'} |`,
      );
    out.push('');
  }
  out.push('## Sign-offs on file', '');
  if (status.signOffs.length === 0) out.push('None.', '');
  else {
    out.push('| sign-off | by | date | expires | today |', '|---|---|---|---|---|');
    for (const s of status.signOffs)
      out.push(
        `| ${mdCode(s.name, true)} | ${mdCell(s.by)} | ${mdCell(s.date)} | ${mdCell(s.expires ?? '—')} | ${s.expired ? '**EXPIRED**' : 'valid'} |`,
      );
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
