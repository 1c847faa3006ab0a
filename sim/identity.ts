// Trust within one simulated environment: the signing key of its Keycloak realm, and the check its APIs
// run on every bearer token they receive. Each environment gets its own key pair, so the two realms are
// separate issuers and a baseline token is refused by the target's APIs, as it would be for real.

import type { IncomingHttpHeaders } from 'node:http';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, jwtVerify } from 'jose';
import type { RouteResponse } from './route.js';

/** The resource indicator of the platform's APIs, and the audience their tokens must carry. */
export const API_RESOURCE = 'urn:sevensa:api';
export const API_AUDIENCE = 'sevensa-api';
export const API_SCOPES = ['api:read', 'api:write'] as const;

/**
 * The simulated realm's demo client and user. They exist only inside the simulator; `cutover demo` puts
 * them into the environment variables the shipped config names (see DEMO_ENV), never into a config file.
 */
export const SIM_DEMO = {
  clientId: 'cutover',
  clientSecret: 'sim-cutover-client-secret-5b8e0f3a',
  users: [
    {
      sub: '4f7c2a1e-9b3d-4e8a-a1c5-2d6f8b0e3c71',
      username: 'cutover-tester',
      password: 'sim-tester-password-c41d97',
      name: 'Cutover Tester',
      email: 'cutover-tester@sevensa.test',
    },
  ],
} as const;

/** The client secret of a web frontend's confidential client (its client id is the service id). */
export function webClientSecret(serviceId: string): string {
  return `sim-${serviceId}-client-secret`;
}

/** The variables `cutover demo` sets for the shipped config's auth profiles, unless already set. */
export const DEMO_ENV: Readonly<Record<string, string>> = {
  CUTOVER_OIDC_CLIENT_ID: SIM_DEMO.clientId,
  CUTOVER_OIDC_CLIENT_SECRET: SIM_DEMO.clientSecret,
  CUTOVER_OIDC_USERNAME: SIM_DEMO.users[0].username,
  CUTOVER_OIDC_PASSWORD: SIM_DEMO.users[0].password,
};

export interface EnvironmentIdentity {
  environment: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export async function createIdentity(environment: string): Promise<EnvironmentIdentity> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `${environment}-${Math.random().toString(36).slice(2, 10)}`;
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { environment, privateJwk, publicJwk };
}

export type TokenCheck = (headers: IncomingHttpHeaders) => Promise<RouteResponse | undefined>;

const ISSUER = /^https?:\/\/[^/]+\/realms\/sevensa$/;

function unauthorized(error: string, description: string): RouteResponse {
  return {
    status: 401,
    json: { error, error_description: description },
    headers: { 'www-authenticate': `Bearer error="${error}", error_description="${description}"` },
  };
}

/**
 * What a resource server behind Keycloak does with a bearer token: signature against the realm's JWKS,
 * audience, expiry, issuer. Anonymous requests are served unless `required` (the load and smoke suites
 * read the same routes without tokens); a token that is presented must be valid.
 */
export function tokenCheck(identity: EnvironmentIdentity, required: boolean): TokenCheck {
  const jwks = createLocalJWKSet({ keys: [identity.publicJwk] });
  return async (headers) => {
    const raw = headers.authorization;
    if (raw === undefined) {
      return required ? unauthorized('invalid_request', 'a bearer token is required') : undefined;
    }
    const m = /^Bearer\s+(\S+)$/i.exec(raw);
    if (!m) return unauthorized('invalid_request', 'expected "Authorization: Bearer <token>"');
    try {
      const { payload } = await jwtVerify(m[1]!, jwks, { audience: API_AUDIENCE, algorithms: ['RS256'] });
      if (typeof payload.iss !== 'string' || !ISSUER.test(payload.iss)) {
        return unauthorized('invalid_token', 'token issuer is not this realm');
      }
      return undefined;
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      const why =
        code === 'ERR_JWT_EXPIRED'
          ? 'token expired'
          : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED'
            ? `token claim check failed: ${(err as Error).message}`
            : code === 'ERR_JWKS_NO_MATCHING_KEY' || code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
              ? 'token not signed by this realm'
              : 'token is not a valid JWT';
      return unauthorized('invalid_token', why);
    }
  };
}
