// The config's `auth` section: OIDC profiles that integration steps (and load scenarios) sign in with.
// Secrets are never written in a config: a profile names the environment variables that hold them, and
// the run reads them from there. (The `integration` section is the integration suite's own: its
// define.ts.)
import { z } from 'zod';
import { httpUrl } from './http-url.js';

const ENV_VAR = /^[A-Za-z_][A-Za-z0-9_]*$/;
const envVar = z
  .string()
  .regex(ENV_VAR, 'expected an environment variable name such as CUTOVER_OIDC_CLIENT_SECRET');

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

export type AuthProfile = z.output<typeof authProfileSchema>;
