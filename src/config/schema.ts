// The config's shape, as zod schemas. The inferred types are the public `UserConfig` (what people write)
// and `ResolvedConfig` (every default filled in), in the manner of Vitest's UserConfig/ResolvedConfig.
import { z } from 'zod';
import { backupSchema } from '../suites/backup/define.js';
import { browserSchema } from '../suites/browser/define.js';
import { dataSchema } from '../suites/data/define.js';
import { integrationSchema } from '../suites/integration/define.js';
import { monitoringSchema } from '../suites/monitoring/define.js';
import { environmentMonitoringSchema } from '../suites/monitoring/endpoints.js';
import { performanceSchema } from '../suites/performance/settings.js';
import { watchSchema } from '../suites/post-cutover/define.js';
import { securitySchema } from '../suites/security/define.js';
import { healthSchema, smokeSchema } from '../suites/smoke/define.js';
import { httpUrl } from './http-url.js';
import { authSchema } from './integration.js';

const SERVICE_ID = /^[a-z][a-z0-9-]*$/;
const serviceId = z.string().regex(SERVICE_ID, 'expected a lower-case id such as rentguy-api');

export const TIERS = ['infrastructure', 'monitoring', 'application', 'frontend', 'ai'] as const;

export const serviceSchema = z.strictObject({
  title: z.string().optional().describe('A name for people, shown in reports.'),
  tier: z.enum(TIERS).describe('The kind of service; gate criteria filter on it (`smoke{tier:ai}`).'),
  phase: z
    .number()
    .int()
    .min(1)
    .max(5)
    .describe('The migration phase that moves the service (1 cluster, 2 infrastructure, 3 applications, …).'),
  wave: z
    .string()
    .regex(SERVICE_ID, 'expected a lower-case wave id such as rentguy')
    .optional()
    .describe('The wave within phase 3 (`rentguy`, `psra`, …); gate criteria filter on it.'),
  health: healthSchema.describe('The health check: what a healthy answer is.'),
  public: z
    .boolean()
    .default(true)
    .describe(
      'Reachable from outside (an ingress host); `false` marks an internal service: no HTTP security checks, no route expected.',
    ),
});

const envServiceSchema = z.strictObject({
  url: httpUrl().describe('The service’s base URL in this environment (no credentials in it).'),
});

const ipAddress = z.union([z.ipv4(), z.ipv6()], { error: 'expected an IP address' });

const environmentCommon = {
  title: z.string().optional().describe('A name for people, shown in reports.'),
  resolve: z
    .record(z.string().regex(/^[A-Za-z0-9.*-]+(:\d+)?$/, 'expected host or host:port'), ipAddress)
    .default({})
    .describe(
      'Host names pinned to addresses, as `curl --resolve` does: requests keep the host name (Host header, TLS SNI) but connect to the address. Keys are `host`, `host:port` or `*.domain`.',
    ),
  tls: z
    .strictObject({
      caFile: z
        .string()
        .optional()
        .describe('A PEM file of extra CA certificates to trust, relative to the config file.'),
      insecure: z
        .boolean()
        .default(false)
        .describe('Accept certificates that do not verify (recorded as a failed TLS check, never silently).'),
    })
    .default({ insecure: false }),
  services: z
    .record(serviceId, envServiceSchema)
    .describe('Each service’s base URL in this environment; a service absent here is not deployed there.'),
  monitoring: environmentMonitoringSchema.describe(
    'This environment’s Prometheus, Alertmanager, Grafana and Loki, for the monitoring suite and `cutover watch`; each defaults to the environment’s service of the same id.',
  ),
};

export const environmentSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('compose').describe('`compose` for the baseline, `kubernetes` for the target.'),
      composeFile: z
        .string()
        .min(1)
        .describe('The docker-compose.yml this environment runs, relative to the config file.'),
      ...environmentCommon,
    }),
    z.strictObject({
      kind: z.literal('kubernetes').describe('`compose` for the baseline, `kubernetes` for the target.'),
      kubeconfig: z
        .string()
        .optional()
        .describe('The kubeconfig file; by default $KUBECONFIG or ~/.kube/config.'),
      context: z.string().min(1).describe('The kubeconfig context of the target cluster.'),
      namespaces: z
        .array(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'expected a namespace name'))
        .min(1)
        .describe('The namespaces the platform runs in.'),
      ...environmentCommon,
    }),
  ],
  { error: 'expected kind "compose" or "kubernetes"' },
);

export const configSchema = z
  .strictObject({
    project: z.string().min(1).describe('The project’s name, shown in reports.'),
    environments: z
      .record(z.string().regex(SERVICE_ID, 'expected a lower-case environment name'), environmentSchema)
      .superRefine((envs, ctx) => {
        for (const [name, kind] of [
          ['baseline', 'compose'],
          ['target', 'kubernetes'],
        ] as const) {
          const env = envs[name];
          if (!env)
            ctx.addIssue({
              code: 'custom',
              path: [name],
              message: `missing; expected a ${kind} environment`,
            });
          else if (env.kind !== kind) {
            ctx.addIssue({
              code: 'custom',
              path: [name, 'kind'],
              message: `expected "${kind}", got "${env.kind}"`,
            });
          }
        }
      })
      .describe(
        'The environments by name: `baseline` (kind `compose`, Docker Compose today) and `target` (kind `kubernetes`).',
      ),
    services: z
      .record(serviceId, serviceSchema)
      .describe(
        'Every service of the platform by id (lower case, such as `rentguy-api`): what it is and its health check.',
      ),
    smoke: smokeSchema.describe('The smoke suite: probes, deadline, concurrency, body cap, certificate age.'),
    integration: integrationSchema.describe(
      'The integration suite: flow files, the built-in flows, deadlines, retries, baseline reads for noise.',
    ),
    auth: authSchema.describe(
      'OIDC profiles whose bearer tokens integration steps carry, by name; secrets are named by environment variable.',
    ),
    performance: performanceSchema.describe(
      'The performance suite: safety limits, the A/B mode and block, warm-up, threads, scenarios, the k6-operator.',
    ),
    security: securitySchema.describe(
      'The Kubernetes and security suite: kube-bench opt-in, the manifests, the readiness window, Compose profiles.',
    ),
    monitoring: monitoringSchema.describe(
      'The monitoring suite: scrape-target mapping, rules, the alert path, Loki’s query, parity.',
    ),
    data: dataSchema.describe(
      'The data suite: the PostgreSQL databases compared between baseline and target, and its limits.',
    ),
    watch: watchSchema.describe(
      '`cutover watch` after cutover: query templates, criteria against the baseline, the breach policy, rollback.',
    ),
    browser: browserSchema.describe(
      'The browser suite: Playwright specs on both environments, cross-environment page parity (docs/browser.md).',
    ),
    backup: backupSchema.describe(
      'The backup suite: Velero’s namespace, schedules and what they cover, the RPO, the restore drill.',
    ),
    reportsDir: z
      .string()
      .min(1)
      .default('reports')
      .describe('Where runs are written, relative to the config file.'),
  })
  .superRefine((config, ctx) => {
    for (const [envName, env] of Object.entries(config.environments)) {
      for (const id of Object.keys(env.services)) {
        if (!config.services[id]) {
          ctx.addIssue({
            code: 'custom',
            path: ['environments', envName, 'services', id],
            message: `unknown service "${id}"; declare it under services`,
          });
        }
      }
    }
    if (Object.keys(config.services).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['services'], message: 'expected at least one service' });
    }
  });

/** What a config file exports: defaults may be left out. */
export type UserConfig = z.input<typeof configSchema>;
/** The validated config with every default filled in. */
export type ParsedConfig = z.output<typeof configSchema>;
export type ServiceConfig = z.output<typeof serviceSchema>;
export type { HealthSpec, SmokeSettings } from '../suites/smoke/define.js';
export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type { IntegrationSettings } from '../suites/integration/define.js';
export type { AuthProfile } from './integration.js';
