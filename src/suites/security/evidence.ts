// How the Kubernetes and security suite reports: every finding as FindingEvidence (suite `security`,
// a source per part), one CoverageEvidence per part and environment, and one CheckResult per part for
// the progress view and the report. A part that could not look is `could-not-check`: gates read that
// as INCONCLUSIVE, never as a pass.
import type { Severity } from '../../core/evidence.js';
import { countBySeverity, type SecurityFinding, type Totals } from '../../core/security/finding.js';
import type { SuiteContext } from '../suite.js';

export const SUITE_ID = 'security';
export type Scope = 'readiness' | 'posture' | 'inventory' | 'kube-bench' | 'http-security';

export interface ScopeOutcome {
  environment: string;
  scope: Scope;
  findings: SecurityFinding[];
  status: 'complete' | 'partial' | 'could-not-check';
  reason: string;
  totals?: Totals;
  counts?: Record<string, number>;
}

const BLOCKING: readonly Severity[] = ['critical', 'high'];

export function report(ctx: SuiteContext, o: ScopeOutcome): void {
  const at = ctx.now().toISOString();
  for (const f of o.findings) {
    ctx.evidence({ kind: 'finding', suite: SUITE_ID, environment: o.environment, source: o.scope, ...f, at });
  }
  const bySeverity = countBySeverity(o.findings);
  ctx.evidence({
    kind: 'coverage',
    suite: SUITE_ID,
    environment: o.environment,
    scope: o.scope,
    status: o.status,
    reason: o.reason,
    counts: { ...(o.totals ?? {}), ...bySeverity, ...(o.counts ?? {}) },
    at,
  });
  const worst = o.findings.filter((f) => BLOCKING.includes(f.severity));
  const summary = Object.entries(bySeverity)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  ctx.check({
    suite: SUITE_ID,
    environment: o.environment,
    service: 'cluster',
    check: o.scope,
    status: o.status === 'could-not-check' ? 'skip' : worst.length > 0 ? 'fail' : 'pass',
    reason:
      o.status === 'could-not-check'
        ? `could not check: ${o.reason}`
        : worst.length > 0
          ? `${summary}; first: ${worst[0]!.object} ${worst[0]!.path}: ${worst[0]!.message}`
          : `${o.reason}${summary ? ` (${summary})` : ''}`,
    data: { ...(o.totals ?? {}), ...bySeverity },
    at,
  });
}
