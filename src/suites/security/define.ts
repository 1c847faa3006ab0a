// The Kubernetes and security suite's user-facing side: the config's `security` section — what the suite
// does beyond reading. Running kube-bench creates a privileged Job in the cluster, so it is opt-in.
import { z } from 'zod';

export const securitySchema = z
  .strictObject({
    kubeBench: z
      .strictObject({
        /** Run kube-bench as a Job in the target cluster during `cutover run`. @default false */
        enabled: z.boolean().default(false),
        /** Namespace for the kube-bench Jobs. @default "kube-system" */
        namespace: z.string().min(1).default('kube-system'),
        /** Which Job variants to run: control-plane checks, worker-node checks, or both. @default ["master","node"] */
        variants: z
          .array(z.enum(['master', 'node']))
          .min(1)
          .default(['master', 'node']),
        /** How long to wait for each Job. @default 300 */
        timeoutSeconds: z.number().int().min(10).max(3600).default(300),
        /** kube-bench image, pinned. @default "docker.io/aquasec/kube-bench:v0.15.6" */
        image: z.string().min(1).default('docker.io/aquasec/kube-bench:v0.15.6'),
      })
      .default({
        enabled: false,
        namespace: 'kube-system',
        variants: ['master', 'node'],
        timeoutSeconds: 300,
        image: 'docker.io/aquasec/kube-bench:v0.15.6',
      }),
    /**
     * The target's manifests (a folder of YAML files): served by `cutover demo`'s simulated cluster.
     * Relative to the config file; default: `k8s/` beside the baseline's Compose file.
     */
    manifests: z.string().min(1).optional(),
    /** Warning events younger than this count against readiness. @default 15 */
    warningWindowMinutes: z.number().int().min(1).max(1440).default(15),
    /** Compose profiles enabled when reading the baseline's docker-compose.yml. @default [] */
    composeProfiles: z.array(z.string().min(1)).default([]),
    /** Per-request timeout for the HTTP security checks and Kubernetes API calls, in ms. @default 10000 */
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  })
  .default({
    kubeBench: {
      enabled: false,
      namespace: 'kube-system',
      variants: ['master', 'node'],
      timeoutSeconds: 300,
      image: 'docker.io/aquasec/kube-bench:v0.15.6',
    },
    warningWindowMinutes: 15,
    composeProfiles: [],
    timeoutMs: 10_000,
  });

export type SecuritySettings = z.output<typeof securitySchema>;

/** What a command hands the security suite beyond the config. */
export interface SecurityOptions {
  /** A kubeconfig that overrides the environment's (the demo's stand-in cluster). */
  kubeconfig?: string;
  /** Run kube-bench even if the config leaves it off (the demo's simulated cluster). */
  kubeBench?: boolean;
}
