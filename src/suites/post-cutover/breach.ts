// The breach policy, as Argo Rollouts' `failureLimit`: a service's consecutive breaching evaluations are
// counted; a healthy one resets the count; one that cannot be judged (no traffic, no data, an error, too
// few requests) leaves it as it is — it is no evidence either way, so it neither forgives a degradation
// nor adds to it. When a service's count reaches the limit, the watch recommends rolling back. Pure.
import type { WatchServiceView } from './define.js';

export class BreachCounter {
  readonly #counts = new Map<string, number>();

  constructor(readonly limit: number) {}

  /** Counts one evaluation of a service; its consecutive breaches after it. */
  record(service: string, state: WatchServiceView['state']): number {
    const before = this.#counts.get(service) ?? 0;
    const after = state === 'breach' ? before + 1 : state === 'healthy' ? 0 : before;
    this.#counts.set(service, after);
    return after;
  }

  count(service: string): number {
    return this.#counts.get(service) ?? 0;
  }

  reached(service: string): boolean {
    return this.count(service) >= this.limit;
  }
}

/** How a watch ended: rollback recommended, every service healthy at its last evaluation, or neither. */
export type WatchDecision = 'rollback' | 'healthy' | 'inconclusive';

/**
 * How a watch ended, from its run record's `watch` checks (one per service, recordDecision in run.ts):
 * a failed one is a rollback recommendation; a DNS check that did not pass (run.ts, checkDns) keeps the
 * watch from healthy; every one passed is healthy; anything else — a service
 * skipped as inconclusive, or no check at all (the watch was stopped first) — is inconclusive.
 */
export function decideWatch(
  checks: ReadonlyArray<{ suite: string; check: string; status: string; service: string; reason: string }>,
): { decision: WatchDecision; reason: string } {
  const own = checks.filter((c) => c.suite === 'post-cutover' && c.check === 'watch');
  const failed = own.find((c) => c.status === 'fail');
  if (failed) return { decision: 'rollback', reason: failed.reason.replace(/^rollback recommended: /, '') };
  // A host still resolving to Compose: the traffic is not (all) cut over, so the watch cannot say healthy.
  const dns = checks.filter((c) => c.suite === 'post-cutover' && c.check === 'dns' && c.status !== 'pass');
  if (dns.length)
    return { decision: 'inconclusive', reason: `DNS cutover: ${dns.map((c) => c.reason).join('; ')}` };
  if (own.length === 0) return { decision: 'inconclusive', reason: 'the watch ended before deciding' };
  const open = own.filter((c) => c.status !== 'pass');
  if (open.length === 0)
    return { decision: 'healthy', reason: 'every service healthy at the last evaluation' };
  return { decision: 'inconclusive', reason: open.map((c) => `${c.service}: ${c.reason}`).join('; ') };
}
