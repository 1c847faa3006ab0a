// The Kubernetes and security suite: on every kubernetes environment, cluster readiness, workload
// posture, Compose ↔ Kubernetes inventory parity and (opt-in) kube-bench; on every environment, the
// HTTP security of the public endpoints. Findings and coverage go to the gates as evidence
// (suite `security`, source = part); a part that could not look says so and never passes.
import type { Suite } from '../suite.js';
import { checkHttpSecurity } from './http-security.js';
import { planSecurity, type SecurityPlan } from './plan.js';

export const securitySuite: Suite<SecurityPlan> = {
  id: 'security',
  title: 'Kubernetes and security: readiness, posture, inventory parity, kube-bench, HTTP security',
  byDefault: true,
  plan: async (ctx) => planSecurity(ctx.config, ctx.environments, ctx.options.security),
  // One check per part and cluster, and one HTTP-security check per environment.
  plannedChecks: (plan) => plan.clusters.reduce((n, c) => n + c.scopes.length, 0) + plan.http.length,
  run: async (ctx, plan) => {
    for (const { environment } of plan.clusters) {
      if (ctx.signal?.aborted) return;
      // Imported for a kubernetes environment only: a Compose-only run skips client-node (~0.6 s of CPU).
      const { checkKubernetes } = await import('./kubernetes.js');
      await checkKubernetes(ctx, environment, plan.options);
    }
    await checkHttpSecurity(ctx);
  },
};
