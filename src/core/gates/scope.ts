// What a gate needs to be decided, and so which gates a run is judged by: the suites whose evidence its
// criteria read, and the sign-offs no suite can give. A run is judged by the gates its own suites can
// serve entirely (or by the gates a user names); the others are still evaluated and shown, and their
// failures still count, but a run that was never meant to cover backups is not held at INCONCLUSIVE by
// the gate that needs them. The mapping lives here, beside the grammar, so a new evidence source is one
// line in one place.
import { metricSuite } from './metrics.js';
import type { ParsedCriterion, ParsedGate } from './parse.js';

/** The suite a metric criterion reads when it names none and its metric is not another suite's (metrics.ts). */
export const METRIC_SUITE = 'performance';

/** The suite whose evidence a criterion reads, or undefined for a sign-off (a person, not a suite). */
export function criterionSuite(c: ParsedCriterion): string | undefined {
  const rule = c.rule;
  if (rule.kind === 'attestation') return undefined;
  if (rule.kind === 'metric') return c.spec.suite ?? metricSuite(rule.metric) ?? METRIC_SUITE;
  return rule.suite;
}

export interface GateNeeds {
  /** Suites whose evidence the gate's criteria read, in criterion order. */
  suites: string[];
  /** Sign-offs (attestations) the gate reads. */
  signOffs: string[];
}

export function gateNeeds(gate: ParsedGate): GateNeeds {
  const suites = new Set<string>();
  const signOffs = new Set<string>();
  for (const c of gate.criteria) {
    const suite = criterionSuite(c);
    if (suite !== undefined) suites.add(suite);
    else if (c.rule.kind === 'attestation') signOffs.add(c.rule.name);
  }
  return { suites: [...suites], signOffs: [...signOffs] };
}

/**
 * Why a run whose suites are `ran` cannot serve the gate entirely, or undefined when it can. Sign-offs
 * are read from files, not produced by a run: a gate that needs one is never decided by a run's default
 * selection (name it with --gate, or `cutover gate --phase`, to be judged by it).
 */
export function unservedBy(gate: ParsedGate, ran: readonly string[]): string | undefined {
  const needs = gateNeeds(gate);
  const missing = needs.suites.filter((s) => !ran.includes(s));
  const parts: string[] = [];
  if (missing.length) parts.push(`the ${listWords(missing)} suite${missing.length > 1 ? 's' : ''}`);
  if (needs.signOffs.length)
    parts.push(`sign-off${needs.signOffs.length > 1 ? 's' : ''} ${listWords(needs.signOffs)}`);
  if (parts.length === 0) return undefined;
  return `it also needs ${parts.join(' and ')}, which this run was not meant to cover`;
}

function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
