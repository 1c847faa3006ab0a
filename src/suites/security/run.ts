// The Kubernetes and security suite: on every kubernetes environment, cluster readiness, workload
// posture, Compose ↔ Kubernetes inventory parity and (opt-in) kube-bench; on every environment, the
// HTTP security of the public endpoints. Findings and coverage go to the gates as evidence
// (suite `security`, source = part); a part that could not look says so and never passes.
import type { Suite } from '../../engine/suite.js';
import { checkHttpSecurity } from './http-security.js';
import type { SecurityOptions } from './kubernetes.js';

export const securitySuite: Suite = {
  id: 'security',
  title: 'Kubernetes and security: readiness, posture, inventory parity, kube-bench, HTTP security',
  byDefault: true,
  plannedChecks: (ctx) => {
    const kube = ctx.environments.filter((e) => ctx.config.environments[e]?.kind === 'kubernetes');
    const bench =
      (ctx.options.security as SecurityOptions | undefined)?.kubeBench ??
      ctx.config.security.kubeBench.enabled;
    return kube.length * (bench ? 4 : 3) + ctx.environments.length;
  },
  run: async (ctx) => {
    const options = (ctx.options.security ?? {}) as SecurityOptions;
    for (const env of ctx.environments) {
      if (ctx.signal?.aborted) return;
      if (ctx.config.environments[env]?.kind !== 'kubernetes') continue;
      // Imported for a kubernetes environment only: a Compose-only run skips client-node (~0.6 s of CPU).
      const { checkKubernetes } = await import('./kubernetes.js');
      await checkKubernetes(ctx, env, options);
    }
    await checkHttpSecurity(ctx);
  },
};
