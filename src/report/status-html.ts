// `cutover status` as one self-contained HTML page (status.html): no script, no network, the charts
// inline SVG drawn here — each gate's verdicts over the runs as a strip of coloured cells, and each
// criterion's evidence age as a bar against its freshness limit. Hand-drawn for the reason svg.ts gives:
// a charting library would need JavaScript in the page, and the page must open anywhere offline.
import type { EvidenceAge, GateStatus, MigrationStatus, PhaseStatus } from '../core/status/status.js';
import { criterionWords, verdictWord } from './status-markdown.js';
import { esc } from './svg.js';

const COLOUR: Record<string, string> = {
  GO: '#1f8a3b',
  'NO-GO': '#c0392b',
  INCONCLUSIVE: '#b8860b',
  none: '#777',
};
const MAX_HISTORY = 30;

const STYLE = `body{font:14px/1.45 "Liberation Sans",Arial,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px}h3{font-size:15px;margin:18px 0 4px}
.verdict{display:inline-block;padding:1px 8px;border-radius:4px;color:#fff;font-weight:bold;font-size:12px}
.v-GO{background:#1f8a3b}.v-NO-GO{background:#c0392b}.v-INCONCLUSIVE{background:#b8860b}.v-none{background:#777}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3}.muted{color:#666}.warn{color:#c0392b;font-weight:bold}.stale{color:#c0392b;font-weight:bold}
.s-passed{color:#1f8a3b}.s-failed{color:#c0392b}.s-partly,.s-inconclusive{color:#b8860b}.s-no-evidence,.s-not-covered{color:#666}
ul{margin:4px 0}svg text{font-size:11px}`;

const badge = (verdict: string) =>
  `<span class="verdict v-${esc(verdict)}">${esc(verdictWord(verdict))}</span>`;

/** The gate's verdicts over the runs, oldest left: one cell per evaluation, its title the run and verdict. */
function historyStrip(g: GateStatus): string {
  const shown = g.history.slice(-MAX_HISTORY);
  if (shown.length === 0) return '';
  const cell = 14;
  const w = shown.length * (cell + 2) + 2;
  const cells = shown
    .map(
      (h, i) =>
        `<rect x="${1 + i * (cell + 2)}" y="1" width="${cell}" height="${cell}" fill="${COLOUR[h.verdict] ?? '#777'}"><title>${esc(`${h.at} ${h.runId}: ${h.verdict}`)}</title></rect>`,
    )
    .join('');
  return `<svg role="img" aria-label="${esc(`verdicts of gate ${g.id} over ${shown.length} evaluations, oldest first`)}" width="${w}" height="${cell + 2}" viewBox="0 0 ${w} ${cell + 2}">${cells}</svg>`;
}

/**
 * Each criterion's evidence age as a bar, its limit a vertical line at a fixed place (the bar's scale is
 * the limit, up to twice it), so stale evidence reads as a red bar crossing the line.
 */
function ageChart(g: GateStatus): string {
  const dated = g.evidence.filter(
    (e): e is EvidenceAge & { ageMs: number; maxAgeMs: number } =>
      e.ageMs !== undefined && e.maxAgeMs !== undefined && e.maxAgeMs > 0,
  );
  if (dated.length === 0) return '';
  const label = 170;
  const width = 300;
  const row = 16;
  const limitX = label + width / 2;
  const h = dated.length * row + 18;
  const bars = dated
    .map((e, i) => {
      const share = Math.min(2, e.ageMs / e.maxAgeMs);
      const y = 14 + i * row;
      const colour = e.state === 'stale' ? '#c0392b' : '#1f8a3b';
      return `<text x="${label - 4}" y="${y + 10}" text-anchor="end">${esc(e.criterion.length > 26 ? `${e.criterion.slice(0, 25)}…` : e.criterion)}</text><rect x="${label}" y="${y + 1}" width="${Math.max(1, (share * width) / 2).toFixed(1)}" height="${row - 4}" fill="${colour}"><title>${esc(`${e.criterion}: ${e.state === 'stale' ? 'stale, ' : ''}${e.text}`)}</title></rect>`;
    })
    .join('');
  return `<svg role="img" aria-label="${esc(`evidence age against its limit, gate ${g.id}`)}" width="${label + width + 60}" height="${h}" viewBox="0 0 ${label + width + 60} ${h}"><text x="${limitX}" y="10" text-anchor="middle">limit</text><text x="${label + width}" y="10" text-anchor="end">2 × limit</text>${bars}<line x1="${limitX}" y1="12" x2="${limitX}" y2="${h}" stroke="#222" stroke-dasharray="3 2"/></svg>`;
}

function gateHtml(g: GateStatus): string {
  const d = g.decision;
  const head = `<h3 id="gate-${esc(g.id)}">Gate <code>${esc(g.id)}</code> — ${esc(g.title)} ${badge(d?.verdict ?? 'none')}</h3>`;
  if (!d)
    return `${head}<p class="muted">No recorded run has evaluated this gate: run <code>cutover gate --phase ${esc(g.id)}</code> on a run that covers it.</p>`;
  const parts = [
    head,
    `<p>Decided ${esc(d.decidedAt)} by <code>cutover ${esc(d.command)}</code> (run <code>${esc(d.runId)}</code>)${d.decides ? '' : ', evaluated beside that run (not judging it)'}. ${historyStrip(g)}</p>`,
  ];
  if (g.changedSince.length)
    parts.push(
      `<p class="warn">No longer holds as decided — judged again today it would not be GO:</p><ul>${g.changedSince.map((c) => `<li>${esc(c)}</li>`).join('')}</ul>`,
    );
  parts.push(
    g.blockers.length
      ? `<p>Blocked by:</p><ul>${g.blockers.map((b) => `<li><code>${esc(b.criterion)}</code> ${esc(b.status)}: ${esc(b.reason)}</li>`).join('')}</ul>`
      : `<p>Blocked by nothing: ${esc(d.summary)}.</p>`,
  );
  if (g.evidence.length)
    parts.push(
      `<table><tr><th>criterion</th><th>evidence</th><th>collected</th><th>age against its limit</th></tr>${g.evidence
        .map(
          (e) =>
            `<tr><td><code>${esc(e.criterion)}</code></td><td>${esc(e.reads)}</td><td>${esc(e.at ?? '—')}</td><td${e.state === 'stale' ? ' class="stale"' : ''}>${e.state === 'stale' ? 'STALE — ' : ''}${esc(e.text)}</td></tr>`,
        )
        .join('')}</table>${ageChart(g)}`,
    );
  if (g.waivers.length)
    parts.push(
      `<table><tr><th>waived criterion</th><th>owner</th><th>expires</th><th>today</th></tr>${g.waivers
        .map(
          (w) =>
            `<tr><td><code>${esc(w.criterion)}</code></td><td>${esc(w.owner)}</td><td>${esc(w.expires)}</td><td${w.expired ? ' class="stale">EXPIRED' : '>applies'}</td></tr>`,
        )
        .join('')}</table>`,
    );
  return parts.join('\n');
}

function phaseRow(p: PhaseStatus): string {
  const gates = p.gates.length
    ? p.gates
        .map(
          (g) =>
            `<a href="#gate-${esc(g.id)}"><code>${esc(g.id)}</code></a> ${badge(g.decision?.verdict ?? 'none')}${g.changedSince.length ? ' <span class="warn">no longer holds</span>' : ''}`,
        )
        .join('<br>')
    : '<span class="muted">no gate for this phase</span>';
  return `<tr><td>${p.phase} ${esc(p.title)}</td><td>${badge(p.verdict)}</td><td>${gates}</td></tr>`;
}

export function renderStatusHtml(status: MigrationStatus, project: string): string {
  const intro = status.latestRun
    ? `As of ${esc(status.generatedAt)}, from ${status.runs} recorded run(s); the newest is <code>${esc(status.latestRun.id)}</code> (<code>cutover ${esc(status.latestRun.command)}</code>, ${esc(status.latestRun.startedAt)}).`
    : `As of ${esc(status.generatedAt)}: no recorded runs yet.`;
  const criteria = status.successCriteria
    .map(
      (e) =>
        `<tr><td>${e.criterion}</td><td>${esc(e.title)}</td><td class="s-${e.state}">${esc(criterionWords(e).state)}</td><td>${esc(criterionWords(e).text)}</td></tr>`,
    )
    .join('');
  const waivers = status.waivers.length
    ? `<table><tr><th>criterion</th><th>owner</th><th>reason</th><th>expires</th><th>today</th></tr>${status.waivers
        .map(
          (w) =>
            `<tr><td><code>${esc(w.criterion)}</code></td><td>${esc(w.owner)}</td><td>${esc(w.reason)}</td><td>${esc(w.expires)}</td><td${w.expired ? ' class="stale">EXPIRED' : '>applies'}</td></tr>`,
        )
        .join('')}</table>`
    : '<p class="muted">None.</p>';
  const signOffs = status.signOffs.length
    ? `<table><tr><th>sign-off</th><th>by</th><th>date</th><th>expires</th><th>today</th></tr>${status.signOffs
        .map(
          (s) =>
            `<tr><td><code>${esc(s.name)}</code></td><td>${esc(s.by)}</td><td>${esc(s.date)}</td><td>${esc(s.expires ?? '—')}</td><td${s.expired ? ' class="stale">EXPIRED' : '>valid'}</td></tr>`,
        )
        .join('')}</table>`
    : '<p class="muted">None.</p>';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Migration status — ${esc(project)}</title><style>${STYLE}</style></head><body>
<h1>Migration status — ${esc(project)}</h1><p>${intro}</p>
<table><tr><th>phase</th><th>verdict</th><th>gates</th></tr>${status.phases.map(phaseRow).join('')}</table>
<h2>Success criteria</h2><table><tr><th>#</th><th>criterion</th><th>state</th><th>evidence</th></tr>${criteria}</table>
<p class="muted">From the latest evaluation of every gate.</p>
${status.phases
  .map(
    (p) =>
      `<h2>Phase ${p.phase} — ${esc(p.title)} ${badge(p.verdict)}</h2>${p.gates.length ? p.gates.map(gateHtml).join('\n') : '<p class="muted">No gate for this phase in the project.</p>'}`,
  )
  .join('\n')}
<h2>Waivers on file</h2>${waivers}
<h2>Sign-offs on file</h2>${signOffs}
</body></html>
`;
}
