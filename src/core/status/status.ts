// The migration at a glance, across runs (`cutover status`): per phase and wave the latest verdict a
// gate was given — by `cutover gate` or by a run that evaluated it — when, what blocks it, how old its
// evidence is today against each criterion's freshness limit, its sign-offs and waivers with their
// expiry, and the plan's six success criteria. Pure: the verdicts are the recorded ones, never judged
// again here, so status says what `cutover gate` said; what has changed since (evidence gone stale, a
// waiver or sign-off expired) is stated beside the verdict as a warning that it no longer holds.
import { type Attestation, formatAge, type Waiver } from '../gates/input.js';
import type { CriterionResult, GateResult, Verdict } from '../model.js';
import { type SuccessCriterionEvidence, successCriteriaEvidence } from '../success-criteria.js';
import { sortForReading } from '../verdict.js';

export const PHASE_TITLES: Readonly<Record<number, string>> = {
  1: 'Cluster setup',
  2: 'Infrastructure services',
  3: 'Application services',
  4: 'Testing and validation',
  5: 'Cutover and decommissioning',
};

/** A gate the project keeps (from its gate files, or the built-in ones). */
export interface GateDef {
  id: string;
  title: string;
  phase: number;
  wave?: string;
}

/** What status reads of one recorded run: its meta and its gate results (not its evidence). */
export interface RunGates {
  id: string;
  command: string;
  startedAt: string;
  finishedAt?: string;
  gates: readonly GateResult[];
}

export interface StatusInput {
  now: Date;
  /** The project's phase gates, in their order. */
  gates: readonly GateDef[];
  /** Recorded runs, newest first. */
  runs: readonly RunGates[];
  /** The waivers and sign-offs on file today. */
  waivers: readonly Waiver[];
  attestations: readonly Attestation[];
}

export type Freshness = 'fresh' | 'stale' | 'unknown';

export interface EvidenceAge {
  criterion: string;
  /** What the criterion read (`smoke checks`, `metric http_req_duration`, `attestation docs`). */
  reads: string;
  /** When the newest of it was collected. */
  at?: string;
  /** Its age today, and the criterion's limit, in ms. */
  ageMs?: number;
  maxAgeMs?: number;
  state: Freshness;
  /** `3 d old, limit 7 d`; `no evidence` or `undated` when its age is unknown. */
  text: string;
}

export interface Blocker {
  criterion: string;
  status: CriterionResult['status'];
  reason: string;
  missing?: string;
}

export interface WaiverState {
  /** `GATE/CRITERION`. */
  criterion: string;
  owner: string;
  reason: string;
  expires: string;
  /** Expired as of now (a waiver that applied when the gate was decided may have expired since). */
  expired: boolean;
  file?: string;
}

export interface SignOffState {
  name: string;
  by: string;
  date: string;
  note: string;
  expires?: string;
  /** Expired as of now. */
  expired: boolean;
  file?: string;
}

export interface GateDecision {
  verdict: Verdict;
  /** When it was decided: the end (or start) of the run or `cutover gate` that decided it. */
  decidedAt: string;
  runId: string;
  command: string;
  /** Whether that run was judged by the gate (false: evaluated aside, as a demo does phase 5). */
  decides: boolean;
  summary: string;
}

export interface GateStatus extends GateDef {
  decision?: GateDecision;
  blockers: Blocker[];
  evidence: EvidenceAge[];
  /** Waivers the decision applied or found expired, as of now. */
  waivers: WaiverState[];
  /** Why the recorded verdict may no longer hold today (stale evidence, an expired waiver). */
  changedSince: string[];
  /** Its verdicts over the runs read, oldest first. */
  history: { runId: string; at: string; verdict: Verdict }[];
}

export interface PhaseStatus {
  phase: number;
  title: string;
  /** NO-GO when a gate is NO-GO, GO when every gate is GO, else INCONCLUSIVE; none before any decision. */
  verdict: Verdict | 'none';
  gates: GateStatus[];
}

export interface MigrationStatus {
  generatedAt: string;
  /** How many runs were read, and the newest. */
  runs: number;
  latestRun?: { id: string; command: string; startedAt: string };
  phases: PhaseStatus[];
  successCriteria: SuccessCriterionEvidence[];
  waivers: WaiverState[];
  signOffs: SignOffState[];
}

const expiredAt = (expires: string | undefined, now: Date): boolean =>
  expires !== undefined && !(Date.parse(expires) > now.getTime());

function evidenceAge(c: CriterionResult, now: Date): EvidenceAge | undefined {
  if (c.evidenceAt === undefined && c.maxAgeMs === undefined) return undefined;
  const base = { criterion: c.id, reads: c.evidence ?? '' };
  const t = c.evidenceAt === undefined ? Number.NaN : Date.parse(c.evidenceAt);
  if (!Number.isFinite(t))
    return { ...base, state: 'unknown', text: c.evidenceAt === undefined ? 'no evidence' : 'undated' };
  const ageMs = Math.max(0, now.getTime() - t);
  const limit = c.maxAgeMs;
  if (limit === undefined || !Number.isFinite(limit))
    return { ...base, at: c.evidenceAt, ageMs, state: 'unknown', text: `${formatAge(ageMs)} old` };
  const stale = ageMs > limit;
  return {
    ...base,
    at: c.evidenceAt,
    ageMs,
    maxAgeMs: limit,
    state: stale ? 'stale' : 'fresh',
    text: `${formatAge(ageMs)} old, limit ${formatAge(limit)}`,
  };
}

function waiverOf(gate: string, c: CriterionResult, now: Date): WaiverState | undefined {
  if (!c.waiver) return undefined;
  const { owner, reason, expires, file } = c.waiver;
  return {
    criterion: `${gate}/${c.id}`,
    owner,
    reason,
    expires,
    expired: expiredAt(expires, now),
    ...(file ? { file } : {}),
  };
}

function gateStatus(def: GateDef, found: { run: RunGates; gate: GateResult }[], now: Date): GateStatus {
  const latest = found[0];
  const history = found
    .map(({ run, gate }) => ({ runId: run.id, at: run.startedAt, verdict: gate.verdict }))
    .reverse();
  if (!latest) return { ...def, blockers: [], evidence: [], waivers: [], changedSince: [], history };
  const { run, gate } = latest;
  const blockers = sortForReading(
    gate.criteria.filter((c) => c.blocking && c.status !== 'PASS' && c.status !== 'WAIVED'),
  ).map((c) => ({
    criterion: c.id,
    status: c.status,
    reason: c.reason,
    ...(c.missing ? { missing: c.missing } : {}),
  }));
  const evidence = gate.criteria.flatMap((c) => evidenceAge(c, now) ?? []);
  const waivers = gate.criteria.flatMap((c) => waiverOf(gate.id, c, now) ?? []);
  const changedSince: string[] = [];
  for (const c of gate.criteria) {
    if (!c.blocking || (c.status !== 'PASS' && c.status !== 'WAIVED')) continue;
    const age = evidence.find((e) => e.criterion === c.id);
    if (age?.state === 'stale') changedSince.push(`${c.id}: its evidence is stale now (${age.text})`);
    if (c.status === 'WAIVED' && c.waiver && expiredAt(c.waiver.expires, now))
      changedSince.push(`${c.id}: its waiver by ${c.waiver.owner} expired on ${c.waiver.expires}`);
  }
  return {
    ...def,
    decision: {
      verdict: gate.verdict,
      decidedAt: run.finishedAt ?? run.startedAt,
      runId: run.id,
      command: run.command,
      decides: gate.decides !== false,
      summary: gate.summary,
    },
    blockers,
    evidence,
    waivers,
    changedSince,
    history,
  };
}

function phaseVerdict(gates: readonly GateStatus[]): PhaseStatus['verdict'] {
  const verdicts = gates.map((g) => g.decision?.verdict);
  if (verdicts.length === 0 || verdicts.every((v) => v === undefined)) return 'none';
  if (verdicts.includes('NO-GO')) return 'NO-GO';
  return verdicts.every((v) => v === 'GO') ? 'GO' : 'INCONCLUSIVE';
}

/** Phase gates seen in records but no longer in the project's gate files still show, after its own. */
function gatesOf(input: StatusInput): GateDef[] {
  const defs = [...input.gates];
  for (const run of input.runs)
    for (const g of run.gates)
      if (g.phase !== undefined && Number.isFinite(g.phase) && !defs.some((d) => d.id === g.id))
        defs.push({ id: g.id, title: g.title, phase: g.phase, ...(g.wave ? { wave: g.wave } : {}) });
  return defs;
}

export function migrationStatus(input: StatusInput): MigrationStatus {
  const { now } = input;
  const defs = gatesOf(input);
  const statuses = defs.map((def) =>
    gateStatus(
      def,
      input.runs.flatMap((run) => run.gates.filter((g) => g.id === def.id).map((gate) => ({ run, gate }))),
      now,
    ),
  );
  const phases = Object.entries(PHASE_TITLES).map(([key, title]) => {
    const phase = Number(key);
    const gates = statuses.filter((s) => s.phase === phase);
    return { phase, title, verdict: phaseVerdict(gates), gates };
  });
  // The success criteria read the latest result of every gate evaluated (suite gates too: evidence is evidence).
  const latest = new Map<string, GateResult>();
  for (const run of input.runs) for (const g of run.gates) if (!latest.has(g.id)) latest.set(g.id, g);
  const newest = input.runs[0];
  return {
    generatedAt: now.toISOString(),
    runs: input.runs.length,
    ...(newest ? { latestRun: { id: newest.id, command: newest.command, startedAt: newest.startedAt } } : {}),
    phases,
    successCriteria: successCriteriaEvidence([...latest.values()]),
    waivers: input.waivers.map((w) => ({
      criterion: w.criterion,
      owner: w.owner,
      reason: w.reason,
      expires: w.expires,
      expired: expiredAt(w.expires, now),
      ...(w.file ? { file: w.file } : {}),
    })),
    signOffs: input.attestations.map((a) => ({
      name: a.name,
      by: a.by,
      date: a.date,
      note: a.note,
      ...(a.expires ? { expires: a.expires } : {}),
      expired: expiredAt(a.expires, now),
      ...(a.file ? { file: a.file } : {}),
    })),
  };
}
