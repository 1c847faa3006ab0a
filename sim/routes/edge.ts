// The platform's front door and trust services: OpenBao (secrets), Keycloak (identity), Traefik (ingress).
// Bodies follow the products' own responses so checks written against the stand-ins hold on the real ones.

import { type Rng, randomInt, seededUuid } from '../rng.js';
import { json, type RouteContext, type ServiceDefinition, text } from '../route.js';

const OPENBAO_VERSION = '2.0.3';

export const openbao: ServiceDefinition = {
  health: {
    path: '/v1/sys/health',
    status: 200,
    contentType: 'application/json',
    json: { initialized: true, sealed: false, standby: false },
  },
  routes: ({ rng }) => {
    // Drawn once per instance from the service stream: the same cluster identity in both environments.
    const clusterName = `vault-cluster-${hex(rng, 8)}`;
    const clusterId = seededUuid(rng);
    return [
      {
        method: 'GET',
        path: '/v1/sys/health',
        handler: (ctx) =>
          json({
            initialized: true,
            sealed: false,
            standby: false,
            performance_standby: false,
            replication_performance_mode: 'disabled',
            replication_dr_mode: 'disabled',
            server_time_utc: Math.floor(ctx.now() / 1000),
            version: OPENBAO_VERSION,
            cluster_name: clusterName,
            cluster_id: clusterId,
          }),
      },
      {
        method: 'GET',
        path: '/v1/sys/seal-status',
        handler: () =>
          json({
            type: 'shamir',
            initialized: true,
            sealed: false,
            t: 3,
            n: 5,
            progress: 0,
            nonce: '',
            version: OPENBAO_VERSION,
            build_date: '2024-09-04T12:00:00Z',
            migration: false,
            cluster_name: clusterName,
            cluster_id: clusterId,
            recovery_seal: false,
            storage_type: 'raft',
          }),
      },
    ];
  },
};

const REALM = 'sevensa';

/** Keycloak builds its URLs from the request (hostname v2 without a fixed hostname), so the stand-in does too. */
function realmUrl(ctx: RouteContext): string {
  const proto = ctx.headers['x-forwarded-proto'] ?? 'http';
  return `${proto}://${ctx.host}/realms/${REALM}`;
}

const noRealm = () => json({ error: 'Realm does not exist' }, 404);

export const keycloak: ServiceDefinition = {
  // The realm's discovery, token, userinfo and JWKS endpoints are served by a real OpenID Provider
  // (sim/oidc.ts); this table keeps health and the realm info Keycloak also answers.
  oidc: true,
  health: { path: '/health/ready', status: 200, contentType: 'application/json', json: { status: 'UP' } },
  routes: ({ rng }) => {
    const kid = base64url(rng, 32);
    const modulus = base64url(rng, 256);
    const up = () => json({ status: 'UP', checks: [] });
    return [
      { method: 'GET', path: '/health', handler: up },
      { method: 'GET', path: '/health/ready', handler: up },
      { method: 'GET', path: '/health/live', handler: up },
      {
        method: 'GET',
        path: '/realms/:realm',
        handler: (ctx) => {
          if (ctx.params.realm !== REALM) return noRealm();
          const base = realmUrl(ctx);
          return json({
            realm: REALM,
            public_key: modulus,
            'token-service': `${base}/protocol/openid-connect`,
            'account-service': `${base}/account`,
            'tokens-not-before': 0,
          });
        },
      },
      {
        method: 'GET',
        path: '/realms/:realm/.well-known/openid-configuration',
        handler: (ctx) => (ctx.params.realm === REALM ? json(discovery(realmUrl(ctx))) : noRealm()),
      },
      {
        method: 'GET',
        path: '/realms/:realm/protocol/openid-connect/certs',
        handler: (ctx) =>
          ctx.params.realm === REALM
            ? json({ keys: [{ kid, kty: 'RSA', alg: 'RS256', use: 'sig', n: modulus, e: 'AQAB' }] })
            : noRealm(),
      },
    ];
  },
};

function discovery(issuer: string) {
  const oidc = `${issuer}/protocol/openid-connect`;
  return {
    issuer,
    authorization_endpoint: `${oidc}/auth`,
    token_endpoint: `${oidc}/token`,
    introspection_endpoint: `${oidc}/token/introspect`,
    userinfo_endpoint: `${oidc}/userinfo`,
    end_session_endpoint: `${oidc}/logout`,
    jwks_uri: `${oidc}/certs`,
    check_session_iframe: `${oidc}/login-status-iframe.html`,
    grant_types_supported: [
      'authorization_code',
      'implicit',
      'refresh_token',
      'password',
      'client_credentials',
    ],
    response_types_supported: ['code', 'none', 'id_token', 'token', 'id_token token', 'code id_token'],
    subject_types_supported: ['public', 'pairwise'],
    id_token_signing_alg_values_supported: ['RS256', 'ES256', 'PS256'],
    scopes_supported: ['openid', 'profile', 'email', 'roles', 'offline_access'],
    claims_supported: ['aud', 'sub', 'iss', 'auth_time', 'name', 'given_name', 'family_name', 'email'],
    code_challenge_methods_supported: ['plain', 'S256'],
  };
}

/** The public hosts of the platform as the ingress routes them (the same in Compose and Kubernetes). */
const ROUTERS: ReadonlyArray<[string, string]> = [
  ['rentguy-frontend', 'Host(`rentguy.sevensa.nl`)'],
  ['rentguy-api', 'Host(`rentguy.sevensa.nl`) && PathPrefix(`/api`)'],
  ['psra-frontend', 'Host(`psra.sevensa.nl`)'],
  ['psra-api', 'Host(`psra.sevensa.nl`) && PathPrefix(`/api`)'],
  ['wpcs-frontend', 'Host(`wpcs.sevensa.nl`)'],
  ['wpcs-api', 'Host(`wpcs.sevensa.nl`) && PathPrefix(`/wp-json`)'],
  ['keycloak', 'Host(`auth.sevensa.nl`)'],
  ['grafana', 'Host(`grafana.sevensa.nl`)'],
  ['n8n', 'Host(`n8n.sevensa.nl`)'],
  ['claude-chat', 'Host(`chat.sevensa.nl`)'],
  ['trading-dashboard', 'Host(`trading.sevensa.nl`)'],
];

export const traefik: ServiceDefinition = {
  health: { path: '/ping', status: 200, contentType: 'text/plain', contains: 'OK' },
  routes: ({ startedAtMs }) => {
    const routers = ROUTERS.map(([service, rule]) => ({
      entryPoints: ['websecure'],
      service,
      rule,
      tls: { certResolver: 'letsencrypt' },
      status: 'enabled',
      using: ['websecure'],
      name: `${service}@file`,
      provider: 'file',
    }));
    const counts = { total: routers.length, warnings: 0, errors: 0 };
    return [
      { method: 'GET', path: '/ping', handler: () => text('OK') },
      {
        method: 'GET',
        path: '/api/version',
        handler: () =>
          json({ Version: '3.1.2', Codename: 'comte', startDate: new Date(startedAtMs).toISOString() }),
      },
      {
        method: 'GET',
        path: '/api/overview',
        handler: () =>
          json({
            http: { routers: counts, services: counts, middlewares: { total: 0, warnings: 0, errors: 0 } },
            features: { tracing: '', metrics: 'Prometheus', accessLog: true },
          }),
      },
      { method: 'GET', path: '/api/http/routers', handler: () => json(routers) },
    ];
  },
};

function hex(rng: Rng, length: number): string {
  return Array.from({ length }, () => randomInt(rng, 0, 15).toString(16)).join('');
}

function base64url(rng: Rng, bytes: number): string {
  return Buffer.from(Array.from({ length: bytes }, () => randomInt(rng, 0, 255))).toString('base64url');
}
