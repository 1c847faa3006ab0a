// Keycloak token issuance (client-credentials grant): every API call on the platform starts with a
// token, so a slower Keycloak slows everything. The client secret comes from the environment only.
import { defineLoad, form } from 'cutover';

export default defineLoad({
  name: 'keycloak-token',
  description: 'Keycloak: client-credentials token issuance',
  service: 'keycloak',
  executor: {
    executor: 'constant-arrival-rate',
    rate: 30,
    timeUnit: '1s',
    duration: '1m',
    preAllocatedVUs: 5,
    maxVUs: 50,
    gracefulStop: '10s',
  },
  // The same variables the harness's OIDC profiles read (see docs/integration.md, "Authentication").
  env: ['CUTOVER_OIDC_CLIENT_ID', 'CUTOVER_OIDC_CLIENT_SECRET'],
  requests: [
    {
      weight: 1,
      method: 'POST',
      path: '/realms/sevensa/protocol/openid-connect/token',
      endpoint: 'POST /realms/sevensa/protocol/openid-connect/token',
      body: ({ env }) =>
        form({
          grant_type: 'client_credentials',
          client_id: env.CUTOVER_OIDC_CLIENT_ID ?? 'cutover',
          client_secret: env.CUTOVER_OIDC_CLIENT_SECRET,
        }),
      checks: {
        'status is 200': (r) => r.status === 200,
        'issues an access token': (r) => {
          const b = r.json() as { access_token?: unknown; token_type?: unknown } | undefined;
          return typeof b?.access_token === 'string' && String(b.token_type).toLowerCase() === 'bearer';
        },
      },
    },
  ],
  thresholds: {
    http_req_duration: ['p(95)<500'],
    http_req_failed: ['rate<0.01'],
  },
});
