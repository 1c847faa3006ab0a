// The simulated Keycloak is a real OpenID Provider, and the simulated APIs verify its tokens; the
// harness's OIDC client fetches, caches and renews tokens from it.
import { importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentity, DEMO_ENV, SIM_DEMO, tokenCheck } from '../../sim/identity.js';
import { type RunningSimulator, startSimulator } from '../../sim/index.js';
import { TokenBroker } from '../../src/runners/auth/oidc.js';
import { Redactor } from '../../src/runners/auth/redact.js';

let sim: RunningSimulator;
const url = (env: string, service: string) =>
  sim.endpoints.find((e) => e.environment === env && e.service === service)!.url;
const form = (body: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(body).toString(),
});
const clientCreds = {
  grant_type: 'client_credentials',
  client_id: SIM_DEMO.clientId,
  client_secret: SIM_DEMO.clientSecret,
};

beforeAll(async () => {
  sim = await startSimulator({
    listeners: ['baseline', 'target'].flatMap((environment) =>
      ['keycloak', 'rentguy-api'].map((service) => ({ environment, service, host: '127.0.0.1', port: 0 })),
    ),
    requireAuth: true,
  });
});
afterAll(() => sim.stop());

describe('simulated Keycloak', () => {
  it('serves discovery, client-credentials and password grants, userinfo and JWKS for the sevensa realm', async () => {
    const kc = url('baseline', 'keycloak');
    const discovery = (await (
      await fetch(`${kc}/realms/sevensa/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(discovery.issuer).toBe(`${kc}/realms/sevensa`);
    expect(discovery.grant_types_supported).toEqual(
      expect.arrayContaining(['client_credentials', 'password']),
    );
    const cc = await fetch(String(discovery.token_endpoint), form(clientCreds));
    expect(cc.status).toBe(200);
    expect(((await cc.json()) as { token_type: string }).token_type).toBe('Bearer');
    const bad = await fetch(
      String(discovery.token_endpoint),
      form({ ...clientCreds, client_secret: 'wrong-secret' }),
    );
    expect(bad.status).toBe(401);
    const user = SIM_DEMO.users[0];
    const pw = await fetch(
      String(discovery.token_endpoint),
      form({
        grant_type: 'password',
        client_id: SIM_DEMO.clientId,
        client_secret: SIM_DEMO.clientSecret,
        username: user.username,
        password: user.password,
        scope: 'openid email profile',
      }),
    );
    const { access_token } = (await pw.json()) as { access_token: string };
    const info = await fetch(String(discovery.userinfo_endpoint), {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(await info.json()).toMatchObject({
      sub: user.sub,
      preferred_username: user.username,
      email: user.email,
    });
    const wrongPassword = await fetch(
      String(discovery.token_endpoint),
      form({
        grant_type: 'password',
        client_id: SIM_DEMO.clientId,
        client_secret: SIM_DEMO.clientSecret,
        username: user.username,
        password: 'nope-nope',
      }),
    );
    expect(wrongPassword.status).toBe(400);
    const jwks = (await (await fetch(String(discovery.jwks_uri))).json()) as {
      keys: Array<{ kty: string; d?: string }>;
    };
    expect(jwks.keys[0]!.kty).toBe('RSA');
    expect(jwks.keys[0]!.d).toBeUndefined();
    expect((await fetch(`${kc}/health/ready`)).status).toBe(200);
  });

  it("APIs accept their own realm's tokens only", async () => {
    const token = async (env: string) => {
      const res = await fetch(
        `${url(env, 'keycloak')}/realms/sevensa/protocol/openid-connect/token`,
        form(clientCreds),
      );
      return ((await res.json()) as { access_token: string }).access_token;
    };
    const api = url('target', 'rentguy-api');
    expect(
      (await fetch(`${api}/api/equipment`, { headers: { authorization: `Bearer ${await token('target')}` } }))
        .status,
    ).toBe(200);
    const foreign = await fetch(`${api}/api/equipment`, {
      headers: { authorization: `Bearer ${await token('baseline')}` },
    });
    expect(foreign.status).toBe(401);
    expect(foreign.headers.get('www-authenticate')).toMatch(/invalid_token/);
    expect((await fetch(`${api}/api/equipment`)).status).toBe(401);
    expect((await fetch(`${api}/health`)).status).toBe(200);
  });
});

describe('tokenCheck', () => {
  it('verifies signature, audience and expiry', async () => {
    const identity = await createIdentity('t');
    const other = await createIdentity('o');
    const check = tokenCheck(identity, true);
    const sign = async (claims: Record<string, unknown>, key = identity.privateJwk, exp = '5m') =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: key.kid! })
        .setIssuer('http://kc.test/realms/sevensa')
        .setIssuedAt()
        .setExpirationTime(exp)
        .sign(await importJWK(key, 'RS256'));
    const status = async (jwt: string) => (await check({ authorization: `Bearer ${jwt}` }))?.status ?? 200;
    expect(await status(await sign({ aud: 'sevensa-api' }))).toBe(200);
    expect(await status(await sign({ aud: 'another-api' }))).toBe(401);
    expect(await status(await sign({ aud: 'sevensa-api' }, other.privateJwk))).toBe(401);
    expect(await status(await sign({ aud: 'sevensa-api' }, identity.privateJwk, '-1m'))).toBe(401);
    expect(
      (
        await check({
          authorization: `Bearer ${await sign({ aud: 'sevensa-api' }, identity.privateJwk, '-1m')}`,
        })
      )?.json,
    ).toMatchObject({
      error_description: 'token expired',
    });
    expect(await tokenCheck(identity, false)({})).toBeUndefined();
  });
});

describe('TokenBroker', () => {
  it('caches a token until shortly before expiry, then fetches a new one, and redacts what it learns', async () => {
    let now = Date.now();
    const redactor = new Redactor();
    const broker = new TokenBroker(
      {
        service: {
          grant: 'client_credentials',
          issuer: { service: 'keycloak', path: '/realms/sevensa' },
          clientIdEnv: 'CUTOVER_OIDC_CLIENT_ID',
          clientSecretEnv: 'CUTOVER_OIDC_CLIENT_SECRET',
          tokenEndpointAuth: 'client_secret_post',
          resource: 'urn:sevensa:api',
        },
      },
      { target: { services: { keycloak: url('target', 'keycloak') }, pins: {}, insecure: false } },
      DEMO_ENV,
      redactor,
      () => now,
      5000,
    );
    const first = await broker.bearer('service', 'target');
    const again = await broker.bearer('service', 'target');
    expect(first.ok && again.ok && first.token === again.token).toBe(true);
    now += 290_000;
    const renewed = await broker.bearer('service', 'target');
    expect(renewed.ok && first.ok && renewed.token !== first.token).toBe(true);
    if (!first.ok) throw new Error('no token');
    expect(redactor.text(`t=${first.token} s=${SIM_DEMO.clientSecret}`)).toBe('t=[redacted] s=[redacted]');
    const missing = await new TokenBroker(
      {
        p: {
          grant: 'password',
          issuer: { target: 'http://127.0.0.1:9/realms/x' },
          clientId: 'c',
          usernameEnv: 'U',
          passwordEnv: 'P',
          tokenEndpointAuth: 'client_secret_basic',
        },
      },
      { target: { services: {}, pins: {}, insecure: false } },
      {},
      redactor,
      () => now,
      1000,
    ).bearer('nope', 'target');
    expect(missing).toEqual({
      ok: false,
      setup: true,
      reason: expect.stringMatching(/auth profile "nope" is not in the config's auth section \(known: p\)/),
    });
  });
});

describe('TokenBroker with a refresh token', () => {
  it('renews an expiring user token through the refresh token grant', async () => {
    let now = Date.now();
    const kc = url('baseline', 'keycloak');
    const env: Record<string, string> = { ...DEMO_ENV };
    const broker = new TokenBroker(
      {
        user: {
          grant: 'password',
          issuer: { service: 'keycloak', path: '/realms/sevensa' },
          clientIdEnv: 'CUTOVER_OIDC_CLIENT_ID',
          clientSecretEnv: 'CUTOVER_OIDC_CLIENT_SECRET',
          tokenEndpointAuth: 'client_secret_post',
          usernameEnv: 'CUTOVER_OIDC_USERNAME',
          passwordEnv: 'CUTOVER_OIDC_PASSWORD',
          scope: 'openid email profile offline_access',
        },
      },
      { baseline: { services: { keycloak: kc }, pins: {}, insecure: false } },
      env,
      new Redactor(),
      () => now,
      5000,
    );
    const first = await broker.bearer('user', 'baseline');
    now += 290_000;
    // Without the password the renewal can only come from the refresh token.
    env.CUTOVER_OIDC_PASSWORD = '';
    const renewed = await broker.bearer('user', 'baseline');
    expect(first.ok && renewed.ok && renewed.token !== first.token).toBe(true);
    if (!renewed.ok) throw new Error(renewed.reason);
    const info = await fetch(`${kc}/realms/sevensa/protocol/openid-connect/userinfo`, {
      headers: { authorization: `Bearer ${renewed.token}` },
    });
    expect(info.status).toBe(200);
  });
});

describe('separate realms', () => {
  it('the target realm does not honour a token the baseline realm issued', async () => {
    const user = SIM_DEMO.users[0];
    const login = await fetch(
      `${url('baseline', 'keycloak')}/realms/sevensa/protocol/openid-connect/token`,
      form({
        grant_type: 'password',
        client_id: SIM_DEMO.clientId,
        client_secret: SIM_DEMO.clientSecret,
        username: user.username,
        password: user.password,
        scope: 'openid',
      }),
    );
    const { access_token } = (await login.json()) as { access_token: string };
    const userinfo = (env: string) =>
      fetch(`${url(env, 'keycloak')}/realms/sevensa/protocol/openid-connect/userinfo`, {
        headers: { authorization: `Bearer ${access_token}` },
      });
    expect((await userinfo('baseline')).status).toBe(200);
    expect((await userinfo('target')).status).toBe(401);
  });
});
