// What a gate is judged on, as plain data: the evidence of one or more runs (and of a recorded
// baseline), the services and their waves, sign-offs and waivers, and the time of judgement. The
// engine gathers it; everything here is pure.
import { z } from 'zod';
import type { CoverageEvidence, Evidence } from '../evidence.js';
import { figure } from '../figure.js';
import type { CheckResult } from '../model.js';

export interface Attestation {
  name: string;
  by: string;
  /** ISO date or time of the sign-off. */
  date: string;
  note: string;
  /** Optional ISO date after which the sign-off no longer counts. */
  expires?: string;
  /** Where it was read from, for the report. */
  file?: string;
}

export interface Waiver {
  /** `GATE/CRITERION`, such as `3-rentguy/perf.p95`. */
  criterion: string;
  owner: string;
  reason: string;
  /** ISO date; a waiver without a future expiry no longer applies. */
  expires: string;
  file?: string;
}

export const serviceInfoSchema = z.object({
  id: z.string(),
  tier: z.string(),
  phase: figure,
  wave: z.string().optional(),
});

/**
 * A service as the gates see it: its tier, migration phase and wave, from the config. A run records
 * its services so (the run meta, record/run-schema.ts), and a gate reads them back from the record.
 */
export type ServiceInfo = z.output<typeof serviceInfoSchema>;

export interface GateInput {
  now: Date;
  checks: readonly CheckResult[];
  evidence: readonly Evidence[];
  services: readonly ServiceInfo[];
  /** Environment names: the side judged and the reference it is compared with. */
  target: string;
  baseline: string;
  attestations: readonly Attestation[];
  waivers: readonly Waiver[];
  /** When the baseline is a recorded one that does not match the target's runs: why (relative criteria are then INCONCLUSIVE). */
  incomparable?: string;
  /** Where the baseline evidence came from, for reasons: `baseline "nightly-2026-11-20"` or `baseline environment`. */
  baselineLabel?: string;
}

/** Tags of an item extended by what its service implies (wave, tier, phase), so criteria can filter on them. */
export function withServiceTags(
  tags: Record<string, string | undefined>,
  services: readonly ServiceInfo[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) if (v !== undefined) out[k] = v;
  const svc = out.service ? services.find((s) => s.id === out.service) : undefined;
  if (svc) {
    if (svc.wave && out.wave === undefined) out.wave = svc.wave;
    if (out.tier === undefined) out.tier = svc.tier;
    if (out.phase === undefined) out.phase = String(svc.phase);
  }
  return out;
}

export function matches(tags: Record<string, string>, filter: Record<string, string>): boolean {
  return Object.entries(filter).every(([k, v]) => tags[k] === v);
}

export function describeFilter(filter: Record<string, string>): string {
  const parts = Object.entries(filter).map(([k, v]) => `${k}:${v}`);
  return parts.length ? `{${parts.join(', ')}}` : '';
}

/** Splits items into fresh and stale by their `at` against a maximum age. */
export function byFreshness<T extends { at: string }>(
  items: readonly T[],
  now: Date,
  maxAgeMs: number,
): { fresh: T[]; stale: T[] } {
  const fresh: T[] = [];
  const stale: T[] = [];
  const oldest = now.getTime() - maxAgeMs;
  for (const item of items) {
    const t = Date.parse(item.at);
    if (Number.isFinite(t) && t >= oldest) fresh.push(item);
    else stale.push(item);
  }
  return { fresh, stale };
}

export function formatAge(ms: number): string {
  const h = ms / 3_600_000;
  if (h >= 48) return `${Math.round(h / 24)} d`;
  if (h >= 1) return `${Math.round(h)} h`;
  return `${Math.max(1, Math.round(ms / 60_000))} min`;
}

/** "stale evidence: the newest is 30 h old, the criterion accepts 24 h" */
export function staleReason(stale: readonly { at: string }[], now: Date, maxAgeMs: number): string {
  const newest = Math.max(...stale.map((s) => Date.parse(s.at)).filter(Number.isFinite));
  const age = Number.isFinite(newest) ? formatAge(now.getTime() - newest) : 'of unknown age';
  return `stale evidence: the newest is ${age} old, the criterion accepts ${formatAge(maxAgeMs)}`;
}

export function coverageOf(input: GateInput, suite: string, environment: string): CoverageEvidence[] {
  return input.evidence.filter(
    (e): e is CoverageEvidence => e.kind === 'coverage' && e.suite === suite && e.environment === environment,
  );
}
