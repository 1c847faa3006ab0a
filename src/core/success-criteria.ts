// The migration plan's six success criteria, and how far a run's evidence goes toward each: computed from
// the gates' criteria that serve it (`successCriterion`), in every gate of the run, whether or not the
// gate sets the run's verdict — evidence is evidence. What the release manager reads first, beside the
// verdict. The types are inferred from the zod schemas report.json publishes them with
// (report/gate-report.ts), so the report's JSON Schema cannot miss a field the evidence has.
import { z } from 'zod';
import type { CriterionResult, GateResult } from './model.js';

export const SUCCESS_CRITERIA: Readonly<Record<number, string>> = {
  1: 'All services run in Kubernetes with no critical issues',
  2: 'Performance equal or better than Compose',
  3: 'All functionality preserved',
  4: 'Monitoring and alerting work',
  5: 'Backup and restore tested',
  6: 'Documentation updated',
};

/**
 * - passed: every criterion serving it passed (or is waived);
 * - failed: a blocking criterion failed, or only warnings were judged and one failed;
 * - partly: some passed, the others are undecided, without evidence, or failed warnings;
 * - inconclusive: judged, but nothing passed or failed;
 * - no-evidence: every criterion serving it lacks its evidence in this run;
 * - not-covered: no gate of the run has a criterion serving it.
 */
export const evidenceStateSchema = z.enum([
  'passed',
  'failed',
  'partly',
  'inconclusive',
  'no-evidence',
  'not-covered',
]);
export type EvidenceState = z.output<typeof evidenceStateSchema>;

/** A state in words, as the reports show it. */
export const STATE_LABEL: Readonly<Record<EvidenceState, string>> = {
  passed: 'passed',
  failed: 'failed',
  partly: 'partly',
  inconclusive: 'inconclusive',
  'no-evidence': 'no evidence in this run',
  'not-covered': 'not covered by a gate',
};

/** Why a served criterion keeps its success criterion from `passed`, in the order a reader needs it. */
export const openKindSchema = z.enum(['failed', 'failed (warning)', 'inconclusive', 'no evidence']);
export type OpenKind = z.output<typeof openKindSchema>;

export const openCriterionSchema = z.object({
  kind: openKindSchema,
  /** The criterion's id; the same id in several gates is one entry. */
  id: z.string(),
  gates: z.array(z.string()),
});

export type OpenCriterion = z.output<typeof openCriterionSchema>;

export const successCriterionEvidenceSchema = z.object({
  criterion: z.number().int(),
  title: z.string(),
  state: evidenceStateSchema,
  /** Served criteria, counted once per gate they appear in. */
  total: z.number().int(),
  passed: z.number().int(),
  waived: z.number().int(),
  /** The served criteria that did not pass, grouped by why and by id. */
  open: z.array(openCriterionSchema),
  /** The gates with a criterion serving it. */
  gates: z.array(z.string()),
});

/** How far a run's evidence goes toward one success criterion. */
export type SuccessCriterionEvidence = z.output<typeof successCriterionEvidenceSchema>;

const KIND_ORDER: readonly OpenKind[] = openKindSchema.options;

function openKind(c: CriterionResult): OpenKind | undefined {
  if (c.status === 'PASS' || c.status === 'WAIVED') return undefined;
  if (c.status === 'FAIL') return c.blocking ? 'failed' : 'failed (warning)';
  return c.missing !== undefined ? 'no evidence' : 'inconclusive';
}

function stateOf(total: number, passedOrWaived: number, open: readonly OpenCriterion[]): EvidenceState {
  const count = (kind: OpenKind) => open.filter((o) => o.kind === kind).length;
  if (total === 0) return 'not-covered';
  if (count('failed') > 0) return 'failed';
  if (passedOrWaived === total) return 'passed';
  if (passedOrWaived > 0) return 'partly';
  if (count('failed (warning)') > 0) return 'failed';
  if (count('inconclusive') > 0) return 'inconclusive';
  return 'no-evidence';
}

export function successCriteriaEvidence(gates: readonly GateResult[]): SuccessCriterionEvidence[] {
  return Object.entries(SUCCESS_CRITERIA).map(([key, title]) => {
    const criterion = Number(key);
    const served = gates.flatMap((g) =>
      g.criteria.filter((c) => c.successCriterion === criterion).map((c) => ({ gate: g.id, c })),
    );
    const open: OpenCriterion[] = [];
    for (const { gate, c } of served) {
      const kind = openKind(c);
      if (!kind) continue;
      const same = open.find((o) => o.kind === kind && o.id === c.id);
      if (same) same.gates.push(gate);
      else open.push({ kind, id: c.id, gates: [gate] });
    }
    open.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
    const passed = served.filter(({ c }) => c.status === 'PASS').length;
    const waived = served.filter(({ c }) => c.status === 'WAIVED').length;
    return {
      criterion,
      title,
      state: stateOf(served.length, passed + waived, open),
      total: served.length,
      passed,
      waived,
      open,
      gates: [...new Set(served.map((s) => s.gate))],
    };
  });
}

const MAX_IDS = 4;

/** One line on the evidence: how many passed, then what did not, by kind (`failed: perf.p95 (gate 4)`). */
export function evidenceText(e: SuccessCriterionEvidence): string {
  if (e.state === 'not-covered') return 'no gate of this run has a criterion for it';
  const gates = (list: readonly string[]) => `${list.length === 1 ? 'gate' : 'gates'} ${list.join(', ')}`;
  const parts: string[] = [];
  if (e.passed + e.waived > 0 || e.open.length === 0)
    parts.push(
      `${e.passed + e.waived} of ${e.total} passed${e.waived ? `, ${e.waived} waived` : ''}${e.open.length === 0 ? ` (${gates(e.gates)})` : ''}`,
    );
  for (const kind of KIND_ORDER) {
    const of = e.open.filter((o) => o.kind === kind);
    if (of.length === 0) continue;
    const shown = of.slice(0, MAX_IDS).map((o) => `${o.id} (${gates(o.gates)})`);
    const more = of.length > MAX_IDS ? ` and ${of.length - MAX_IDS} more` : '';
    parts.push(`${kind}: ${shown.join(', ')}${more}`);
  }
  return parts.join('; ');
}
