// The config's `integration` and `auth` sections. Secrets are never written in a config: an auth
// profile names the environment variables that hold them, and the run reads them from there.
import { z } from 'zod';
import { httpUrl } from './http-url.js';

const ENV_VAR = /^[A-Za-z_][A-Za-z0-9_]*$/;
const envVar = z
  .string()
  .regex(ENV_VAR, 'expected an environment variable name such as CUTOVER_OIDC_CLIENT_SECRET');
const MIB = 1024 * 1024;

export const integrationSchema = z
  .strictObject({
    /** Scenario files (TypeScript or JavaScript, relative to the config) exporting `defineScenario(...)` values. */
    scenarios: z.array(z.string().min(1)).default([]),
    /**
     * Also run the built-in Sevensa platform scenarios whose services this config has. Off unless asked
     * for: another platform's `keycloak` is not Sevensa's realm. @default false
     */
    builtin: z.boolean().default(false),
    /** Run only scenarios carrying at least one of these tags. */
    tags: z.array(z.string().min(1)).optional(),
    /** Deadline of every request, redirects included. @default 10000 */
    timeoutMs: z.number().int().min(50).max(300_000).default(10_000),
    /** Retries of idempotent requests after a network error or 502/503/504; POST and PATCH are never retried. @default 0 */
    retries: z.number().int().min(0).max(5).default(0),
    /** Largest response body read; more is a recorded failure. @default 10 MiB */
    maxBodyBytes: z
      .number()
      .int()
      .min(1024)
      .max(256 * MIB)
      .default(10 * MIB),
    /** Redirects followed (only to hosts in the config). @default 5 */
    maxRedirects: z.number().int().min(0).max(20).default(5),
    /** Scenarios run at once. @default 4 */
    concurrency: z.number().int().min(1).max(32).default(4),
    /**
     * Times each scenario runs on the baseline: once beside the targets, once straight after (fresh ids
     * and clocks), and each further time `readSpacingMs` later, so values that move once per cycle (a
     * scrape duration, a rule's evaluation time) are seen to move. @default 3
     */
    baselineReads: z.number().int().min(2).max(5).default(3),
    /** Time between the baseline's first read of a scenario and its third (and third and fourth …). @default 1000 */
    readSpacingMs: z.number().int().min(0).max(120_000).default(1000),
  })
  .default({
    scenarios: [],
    builtin: false,
    timeoutMs: 10_000,
    retries: 0,
    maxBodyBytes: 10 * MIB,
    maxRedirects: 5,
    concurrency: 4,
    baselineReads: 3,
    readSpacingMs: 1000,
  });

export const authProfileSchema = z
  .strictObject({
    grant: z.enum(['client_credentials', 'password']),
    /**
     * Where the OIDC issuer is in each environment: a service of the environment plus the realm path
     * (`{ service: 'keycloak', path: '/realms/sevensa' }`), or an issuer URL per environment name.
     */
    issuer: z.union([
      z.strictObject({
        service: z.string().min(1),
        path: z.string().startsWith('/', 'expected a path starting with "/"'),
      }),
      z.record(z.string().min(1), httpUrl('issuer URL')),
    ]),
    /** The client id (not a secret), or the variable holding it. */
    clientId: z.string().min(1).optional(),
    clientIdEnv: envVar.optional(),
    /** The variable holding the client secret; leave out for a public client. */
    clientSecretEnv: envVar.optional(),
    /** How the client authenticates at the token endpoint. @default "client_secret_basic" */
    tokenEndpointAuth: z.enum(['client_secret_basic', 'client_secret_post']).default('client_secret_basic'),
    /** Password grant: the variables holding the user's name and password. */
    usernameEnv: envVar.optional(),
    passwordEnv: envVar.optional(),
    scope: z.string().min(1).optional(),
    /** RFC 8707 resource indicator: the API the token is for (its audience). */
    resource: z.string().min(1).optional(),
  })
  .superRefine((p, ctx) => {
    if (!p.clientId && !p.clientIdEnv)
      ctx.addIssue({ code: 'custom', path: ['clientId'], message: 'set clientId or clientIdEnv' });
    if (p.grant === 'password') {
      for (const key of ['usernameEnv', 'passwordEnv'] as const) {
        if (!p[key])
          ctx.addIssue({ code: 'custom', path: [key], message: 'required for the password grant' });
      }
    }
  });

/** Auth profiles by name; a scenario step names the profile whose token it carries. */
export const authSchema = z
  .record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a lower-case profile name'), authProfileSchema)
  .default({});

export type IntegrationSettings = z.output<typeof integrationSchema>;
export type AuthProfile = z.output<typeof authProfileSchema>;
