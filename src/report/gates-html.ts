// The top of report.html: one screen that says what was decided — the verdict and why, a line per gate
// with its blocking reasons, the six success criteria with the state of their evidence — then each
// gate's criteria, those that passed folded away (<details>, no script), so a reader reaches the
// failures and the charts without scrolling past pages of green rows.

import type { CriterionResult, GateResult } from '../core/model.js';
import { evidenceText, STATE_LABEL } from '../core/success-criteria.js';
import { sortForReading } from '../core/verdict.js';
import type { RunRecord } from '../record/run-schema.js';
import { decisionOf, gateRole } from './decision.js';
import { intervalText, limitText, nText, valueText } from './figures.js';
import { esc } from './svg.js';
import { criteriaCount } from './text.js';

export const GATES_STYLE = `header.first h1{margin:0 0 4px}header.first p{margin:2px 0}
table.summary{table-layout:fixed;width:100%;margin:8px 0 4px}table.summary caption{text-align:left;font-weight:bold;padding:2px 0}
table.summary th,table.summary td{padding:2px 6px;font-size:13px;line-height:1.3}
.clamp{display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}
.clip{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.verdict.small{font-size:12px;padding:0 6px}tr.NO-GO td:first-child{border-left:4px solid #c0392b}tr.GO td:first-child{border-left:4px solid #1f8a3b}.role{font-size:11px;color:#666}
.s-passed{color:#1f8a3b}.s-failed{color:#c0392b}.s-partly,.s-inconclusive{color:#b8860b}.s-no-evidence,.s-not-covered{color:#666}
details{margin:6px 0}summary{cursor:pointer;color:#1f6a33}`;

const badge = (verdict: string, small = false) =>
  `<span class="verdict${small ? ' small' : ''} v-${verdict}">${verdict}</span>`;

/** The first screen: verdict, gates, success criteria. */
export function decisionHtml(record: RunRecord): string {
  const d = decisionOf(record);
  const meta = `${esc(record.config.project)} · <code>cutover ${esc(record.command)}</code> · started ${esc(record.startedAt)}${record.finishedAt ? ` · finished ${esc(record.finishedAt)}` : ''} · status ${esc(record.status)}${record.faults.length ? ` · faults ${esc(record.faults.join(', '))}` : ''} · cutover ${esc(record.tool.version)} on Node ${esc(record.tool.node)}${record.tool.browser ? ` · ${esc(record.tool.browser)}` : ''}`;
  const why = d.why ? `<p class="why clamp" title="${esc(d.why)}"><b>Why:</b> ${esc(d.why)}</p>` : '';
  const gates = d.gates
    .map(
      ({ gate, role, blocking }, i) =>
        `<tr class="${gate.verdict}"><td><a href="#gate-${i}">${esc(gate.id)}</a></td><td>${badge(gate.verdict, true)}${role ? `<div class="role">${esc(role)}</div>` : ''}</td><td><div class="clamp" title="${esc(blocking)}">${esc(blocking)}</div></td></tr>`,
    )
    .join('');
  const criteria = d.successCriteria
    .map((sc) => {
      const detail = evidenceText(sc);
      return `<tr><td>${sc.criterion}</td><td>${esc(sc.title)}</td><td><b class="s-${sc.state}">${STATE_LABEL[sc.state]}</b></td><td><div class="clip" title="${esc(detail)}">${esc(detail)}</div></td></tr>`;
    })
    .join('');
  const tables =
    record.gates.length === 0
      ? '<p>No gate was evaluated: the run holds no evidence a gate could read.</p>'
      : `<table class="summary"><caption>Gates</caption><colgroup><col style="width:120px"><col style="width:250px"><col></colgroup><thead><tr><th>Gate</th><th>Verdict</th><th>Blocking reasons</th></tr></thead><tbody>${gates}</tbody></table>
<table class="summary"><caption>Success criteria of the migration plan</caption><colgroup><col style="width:28px"><col style="width:360px"><col style="width:170px"><col></colgroup><thead><tr><th>#</th><th>Success criterion</th><th>Evidence</th><th>Detail</th></tr></thead><tbody>${criteria}</tbody></table>`;
  return `<header class="first">
<h1>Cutover run ${esc(record.id)} ${badge(d.verdict)}</h1>
${why}<p class="muted">${meta}</p>
${tables}
</header>`;
}

function criteriaTable(criteria: readonly CriterionResult[]): string {
  const rows = criteria
    .map(
      (c) =>
        `<tr class="${c.status}"><td>${esc(c.id)}</td><td><b>${c.status}</b></td><td>${c.blocking ? 'yes' : 'no'}</td><td class="num">${esc(valueText(c))}</td><td class="num">${esc(limitText(c))}</td><td class="num">${esc(intervalText(c))}</td><td class="num">${esc(nText(c))}</td><td class="reason">${esc(c.reason)}<div class="muted">${esc(c.rule ?? '')}</div></td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>Criterion</th><th>Status</th><th>Blocking</th><th>Value</th><th>Limit</th><th>Interval</th><th>n (target / baseline)</th><th>Reason and rule</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** A gate's section: what did not pass in a table, what passed folded below it. */
export function gateSectionHtml(g: GateResult, index: number): string {
  const sorted = sortForReading(g.criteria);
  const passed = sorted.filter((c) => c.status === 'PASS');
  // Criteria without evidence are listed under "Missing evidence" with what they lack: their rows
  // (the same "no evidence" and the rule) fold too.
  const unevidenced = sorted.filter((c) => c.status === 'INCONCLUSIVE' && c.missing !== undefined);
  const open = sorted.filter((c) => c.status !== 'PASS' && !unevidenced.includes(c));
  const role = gateRole(g);
  const missing = g.missing?.length
    ? `<p><b>Missing evidence:</b></p><ul>${g.missing.map((m) => `<li>${esc(m)}</li>`).join('')}</ul>`
    : '';
  const fold = (list: readonly CriterionResult[], label: string) =>
    list.length ? `<details><summary>${label}</summary>${criteriaTable(list)}</details>` : '';
  const folded =
    fold(unevidenced, `? ${criteriaCount(unevidenced.length)} without evidence in this run`) +
    fold(passed, `✓ ${criteriaCount(passed.length)} passed`);
  return `<section id="gate-${index}"><h2>Gate ${esc(g.id)} ${badge(g.verdict)}</h2>
<p>${esc(g.title)}</p>${role ? `<p class="muted">${esc(role)}</p>` : ''}<p><b>Why:</b> ${esc(g.summary)}</p>${missing}
${open.length ? criteriaTable(open) : ''}${folded}</section>`;
}
