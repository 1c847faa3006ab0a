// The Kubernetes and security suite's plan: which parts run where — readiness, posture, inventory parity
// and (opt-in) kube-bench on every kubernetes environment, the HTTP security of the public endpoints on
// every environment. Printable; nothing is read until the suite runs.
import type { ResolvedConfig } from '../../config/load.js';
import type { SecurityOptions } from './define.js';

export interface SecurityPlan {
  /** Kubernetes environments, each with the parts run there. */
  clusters: { environment: string; scopes: ('readiness' | 'posture' | 'inventory' | 'kube-bench')[] }[];
  /** Environments whose public endpoints' HTTP security is checked. */
  http: string[];
  options: SecurityOptions;
}

export function planSecurity(
  config: ResolvedConfig,
  environments: readonly string[],
  options: SecurityOptions = {},
): SecurityPlan {
  const kubeBench = options.kubeBench ?? config.security.kubeBench.enabled;
  return {
    clusters: environments
      .filter((e) => config.environments[e]?.kind === 'kubernetes')
      .map((environment) => ({
        environment,
        scopes: ['readiness', 'posture', 'inventory', ...(kubeBench ? (['kube-bench'] as const) : [])],
      })),
    http: [...environments],
    options,
  };
}
