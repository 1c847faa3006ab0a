// Keycloak, OpenBao and N8N. Keycloak's discovery document must match once each environment's own base
// URL is taken out (Keycloak builds it from the request); its signing keys differ by design (each realm
// has its own), so their shape is compared, not their value. The token and userinfo steps prove the
// realm issues tokens and knows the test user in both environments.
import { defineFlow, z } from 'cutover';

const REALM = '/realms/sevensa';

export const keycloakOidc = defineFlow({
  name: 'keycloak-oidc',
  title: 'Keycloak: discovery parity, token, userinfo',
  service: 'keycloak',
  tags: ['keycloak', 'auth'],
  steps: [
    {
      name: 'discovery document',
      request: { method: 'GET', path: `${REALM}/.well-known/openid-configuration` },
      expect: {
        status: 200,
        schema: z.object({
          issuer: z.url(),
          token_endpoint: z.url(),
          userinfo_endpoint: z.url(),
          jwks_uri: z.url(),
          grant_types_supported: z
            .array(z.string())
            .refine((g) => g.includes('client_credentials') && g.includes('password'), {
              message: 'expected client_credentials and password grants',
            }),
        }),
      },
    },
    {
      name: 'signing keys',
      request: { method: 'GET', path: `${REALM}/protocol/openid-connect/certs` },
      expect: {
        status: 200,
        schema: z.object({ keys: z.array(z.object({ kty: z.string(), kid: z.string() })).min(1) }),
      },
      parity: { shape: ['keys[*].n', 'keys[*].kid'] },
    },
    {
      name: 'client-credentials token',
      request: {
        method: 'POST',
        path: `${REALM}/protocol/openid-connect/token`,
        form: {
          grant_type: 'client_credentials',
          client_id: '{{env.CUTOVER_OIDC_CLIENT_ID}}',
          client_secret: '{{env.CUTOVER_OIDC_CLIENT_SECRET}}',
        },
      },
      expect: {
        status: 200,
        schema: z.object({
          access_token: z.string().min(20),
          token_type: z.literal('Bearer'),
          expires_in: z.number().positive(),
        }),
      },
    },
    {
      name: 'userinfo of the test user',
      auth: 'user',
      request: { method: 'GET', path: `${REALM}/protocol/openid-connect/userinfo` },
      expect: {
        status: 200,
        schema: z.object({ sub: z.string(), preferred_username: z.string(), email: z.email() }),
      },
    },
  ],
});

export const openbaoStatus = defineFlow({
  name: 'openbao-status',
  title: 'OpenBao: health and seal status',
  service: 'openbao',
  tags: ['openbao', 'read'],
  steps: [
    {
      name: 'health',
      request: { method: 'GET', path: '/v1/sys/health' },
      expect: { status: 200, schema: z.object({ initialized: z.literal(true), sealed: z.literal(false) }) },
    },
    {
      name: 'seal status',
      request: { method: 'GET', path: '/v1/sys/seal-status' },
      expect: {
        status: 200,
        schema: z.object({ sealed: z.literal(false), t: z.number().int(), n: z.number().int() }),
      },
    },
  ],
});

export const n8nWebhook = defineFlow({
  name: 'n8n-webhook',
  title: 'N8N: a webhook round trip',
  service: 'n8n',
  tags: ['ai', 'write'],
  steps: [
    {
      name: 'post to webhook',
      request: {
        method: 'POST',
        path: '/webhook/cutover-echo',
        json: { runId: '{{runId}}', ping: 'cutover' },
      },
      expect: {
        status: 200,
        schema: z.object({
          executionId: z.string(),
          webhookId: z.literal('cutover-echo'),
          body: z.object({ ping: z.literal('cutover') }),
        }),
      },
    },
    {
      name: 'get webhook',
      request: { method: 'GET', path: '/webhook/cutover-echo', query: { ping: 'cutover' } },
      expect: { status: 200 },
    },
  ],
});
