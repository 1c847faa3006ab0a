// The Keycloak stand-in's OpenID Provider: a real, certified OIDC implementation (panva's oidc-provider)
// serving the `sevensa` realm under Keycloak's paths, so the harness talks to it with a real OIDC client
// exactly as it will talk to the real Keycloak. Client-credentials is built in; the password grant
// (Keycloak's "direct access grants", dropped from OAuth 2.1 and so from oidc-provider) is registered
// through the library's documented custom grant type hook.
//
// Each environment has its own key pair (see identity.ts), so the baseline and target realms are separate
// issuers: a token from one is refused by the other's APIs, as with two real Keycloak deployments.

import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KoaContextWithOIDC, default as ProviderType } from 'oidc-provider';
import type { FaultPlan } from './faults.js';
import { API_AUDIENCE, API_RESOURCE, API_SCOPES, type EnvironmentIdentity, SIM_DEMO } from './identity.js';
import { handleLoginAction, LOGIN_ACTIONS_PATH, loginActionsUrl } from './web/keycloak-login.js';

export const REALM_PATH = '/realms/sevensa';
const OIDC_PREFIX = `${REALM_PATH}/protocol/openid-connect`;
const TOKEN_TTL_S = 300;
/** Hosts a stand-in keeps a provider for; a hostile stream of Host headers cannot grow it further. */
const MAX_ISSUERS = 16;

type ProviderClass = typeof ProviderType;
let providerClass: Promise<ProviderClass> | undefined;

/**
 * oidc-provider prints "Unsupported runtime" on import under Node 20 (it prefers 22 LTS but runs on 20,
 * which its CI still covers). The simulator runs inside `cutover demo`, whose stderr a person reads, so
 * that one notice is held back; every other warning passes through.
 */
function loadProvider(): Promise<ProviderClass> {
  providerClass ??= (async () => {
    // biome-ignore lint/suspicious/noConsole: the library writes this notice through console.warn
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (!String(args[0]).includes('Unsupported runtime')) warn(...args);
    };
    try {
      return (await import('oidc-provider')).default;
    } finally {
      console.warn = warn;
    }
  })();
  return providerClass;
}

/**
 * oidc-provider's storage interface, in memory. Written out because the library's own in-memory adapter
 * announces itself as "development-only" on every start; this one is as small and stays quiet.
 */
type Store = Map<string, { payload: Record<string, unknown>; expiresAt: number }>;

class MemoryAdapter {
  /** One store per environment: the baseline realm must not find the target realm's tokens. */
  constructor(
    private readonly model: string,
    private readonly store: Store,
  ) {}
  private key(id: string) {
    return `${this.model}:${id}`;
  }
  async upsert(id: string, payload: Record<string, unknown>, expiresIn: number) {
    this.store.set(this.key(id), { payload, expiresAt: Date.now() + expiresIn * 1000 });
    // Bounded: expired entries are swept whenever the store grows large.
    if (this.store.size > 10_000) {
      for (const [k, v] of this.store) if (v.expiresAt < Date.now()) this.store.delete(k);
    }
  }
  async find(id: string) {
    const hit = this.store.get(this.key(id));
    return hit && hit.expiresAt > Date.now() ? hit.payload : undefined;
  }
  async findByUserCode() {
    return undefined;
  }
  /** Sessions are looked up by uid when a sign-in resumes (the interaction remembers the session's uid). */
  async findByUid(uid: string) {
    for (const [k, v] of this.store) {
      if (k.startsWith(`${this.model}:`) && v.payload.uid === uid && v.expiresAt > Date.now())
        return v.payload;
    }
    return undefined;
  }
  async consume(id: string) {
    const hit = this.store.get(this.key(id));
    if (hit) hit.payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id: string) {
    this.store.delete(this.key(id));
  }
  async revokeByGrantId(grantId: string) {
    for (const [k, v] of this.store) if (v.payload.grantId === grantId) this.store.delete(k);
  }
}

function account(sub: string) {
  const user = SIM_DEMO.users.find((u) => u.sub === sub);
  if (!user) return undefined;
  return {
    accountId: user.sub,
    claims: () => ({
      sub: user.sub,
      preferred_username: user.username,
      name: user.name,
      email: user.email,
      email_verified: true,
    }),
  };
}

/**
 * A web frontend's confidential client (authorization code with PKCE): its id is the service id, and
 * its redirect URIs are `/callback` under each origin the frontend answers at.
 */
export interface WebClient {
  clientId: string;
  clientSecret: string;
  redirectUris: readonly string[];
}

/** The OIDC scopes and API resource a frontend's sign-in is granted without a consent screen. */
export const WEB_SCOPE = `openid profile email ${API_SCOPES.join(' ')}`;

async function createProvider(
  issuer: string,
  identity: EnvironmentIdentity,
  store: Store,
  webClients: readonly WebClient[],
): Promise<ProviderType> {
  const Provider = await loadProvider();
  const webIds = new Set(webClients.map((c) => c.clientId));
  const provider = new Provider(issuer, {
    adapter: ((model: string) => new MemoryAdapter(model, store)) as never,
    jwks: { keys: [identity.privateJwk as never] },
    clients: [
      {
        client_id: SIM_DEMO.clientId,
        client_secret: SIM_DEMO.clientSecret,
        grant_types: ['client_credentials', 'password', 'refresh_token'],
        response_types: [],
        redirect_uris: [],
        // Form-posted credentials, as the platform's services and the load scenario send them.
        token_endpoint_auth_method: 'client_secret_post',
      },
      ...webClients.map((c) => ({
        client_id: c.clientId,
        client_secret: c.clientSecret,
        grant_types: ['authorization_code'],
        response_types: ['code' as const],
        redirect_uris: [...c.redirectUris],
        token_endpoint_auth_method: 'client_secret_post' as const,
      })),
    ],
    // The frontends read the user's name from the ID token (their access token is bound to the APIs).
    conformIdTokenClaims: false,
    // Keycloak's login page (web/keycloak-login.ts), under the realm's path.
    interactions: { url: async (_ctx, interaction) => loginActionsUrl(REALM_PATH, interaction.uid) },
    // Keycloak requires PKCE (S256) of the frontends' clients here, as their realm is configured.
    pkce: { required: (_ctx, client) => webIds.has(client.clientId) },
    // Keycloak asks no consent of first-party clients: a signed-in user's grant for a frontend is made
    // at once, with the OIDC scopes and the APIs' scopes it asks for.
    loadExistingGrant: async (ctx) => {
      const oidc = ctx.oidc;
      const existing = oidc.result?.consent?.grantId || oidc.session!.grantIdFor(oidc.client!.clientId);
      const found = existing ? await oidc.provider.Grant.find(existing) : undefined;
      if (found) return found;
      if (!webIds.has(oidc.client!.clientId) || !oidc.session!.accountId) return undefined;
      const grant = new oidc.provider.Grant({
        clientId: oidc.client!.clientId,
        accountId: oidc.session!.accountId,
      });
      // The API scopes are realm scopes too (the password grant asks for them without a resource).
      grant.addOIDCScope(WEB_SCOPE);
      grant.addResourceScope(API_RESOURCE, API_SCOPES.join(' '));
      await grant.save();
      return grant;
    },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'] },
    scopes: ['openid', 'profile', 'email', 'offline_access', ...API_SCOPES],
    findAccount: async (_ctx, sub) => account(sub),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // Keycloak puts its audience into client-credentials tokens without being asked; so does this.
        defaultResource: async (ctx, _client, oneOf) =>
          oneOf ?? (ctx.oidc.params?.grant_type === 'client_credentials' ? API_RESOURCE : undefined),
        getResourceServerInfo: async (_ctx, resource) => {
          if (resource !== API_RESOURCE) throw new (await errors()).InvalidTarget();
          return {
            scope: API_SCOPES.join(' '),
            audience: API_AUDIENCE,
            accessTokenTTL: TOKEN_TTL_S,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    // Keycloak's realm defaults: 30 minutes to sign in, an SSO session of 10 hours.
    ttl: {
      AccessToken: TOKEN_TTL_S,
      AuthorizationCode: 60,
      ClientCredentials: TOKEN_TTL_S,
      Grant: 36_000,
      IdToken: TOKEN_TTL_S,
      Interaction: 1800,
      Session: 36_000,
    },
    routes: {
      token: '/protocol/openid-connect/token',
      userinfo: '/protocol/openid-connect/userinfo',
      jwks: '/protocol/openid-connect/certs',
      authorization: '/protocol/openid-connect/auth',
      end_session: '/protocol/openid-connect/logout',
      revocation: '/protocol/openid-connect/revoke',
      introspection: '/protocol/openid-connect/token/introspect',
    },
    // Only loopback clients reach the stand-in; CORS is irrelevant to it.
    clientBasedCORS: () => false,
  });
  provider.registerGrantType('password', passwordGrant(provider), [
    'username',
    'password',
    'scope',
    'resource',
  ]);
  return provider;
}

async function errors() {
  return (await import('oidc-provider')).errors;
}

/** Keycloak's direct access grant: the user's own credentials, exchanged for tokens. */
function passwordGrant(provider: ProviderType) {
  return async (ctx: KoaContextWithOIDC) => {
    const { InvalidGrant, InvalidTarget } = await errors();
    const params = ctx.oidc.params as Record<string, string | undefined>;
    const user = SIM_DEMO.users.find((u) => u.username === params.username);
    if (!user || user.password !== params.password) throw new InvalidGrant('invalid user credentials');
    const client = ctx.oidc.client!;
    const requested = new Set((params.scope ?? 'openid').split(' ').filter(Boolean));
    const grant = new provider.Grant({ accountId: user.sub, clientId: client.clientId });
    const oidcScope = [...requested]
      .filter((s) => ['openid', 'profile', 'email', 'offline_access'].includes(s))
      .join(' ');
    grant.addOIDCScope(oidcScope || 'openid');
    const resource = params.resource;
    if (resource !== undefined && resource !== API_RESOURCE) throw new InvalidTarget();
    if (resource) grant.addResourceScope(resource, API_SCOPES.join(' '));
    const grantId = await grant.save();
    const token = new provider.AccessToken({
      accountId: user.sub,
      client,
      grantId,
      gty: 'password',
      scope: resource ? API_SCOPES.join(' ') : oidcScope || 'openid',
      ...(resource ? {} : { claims: { userinfo: { email: null, name: null, preferred_username: null } } }),
    } as never);
    if (resource) {
      token.resourceServer = {
        audience: API_AUDIENCE,
        accessTokenFormat: 'jwt',
        accessTokenTTL: TOKEN_TTL_S,
        jwt: { sign: { alg: 'RS256' } },
        scope: API_SCOPES.join(' '),
      } as never;
    }
    ctx.oidc.entity('AccessToken', token);
    const value = await token.save();
    // offline_access asks for a refresh token, as with Keycloak; the built-in refresh_token grant redeems it.
    let refresh: string | undefined;
    if (requested.has('offline_access')) {
      refresh = await new provider.RefreshToken({
        accountId: user.sub,
        client,
        grantId,
        gty: 'password',
        scope: oidcScope,
        ...(resource ? { resource } : {}),
      } as never).save();
    }
    ctx.body = {
      access_token: value,
      expires_in: token.expiration,
      token_type: 'Bearer',
      scope: token.scope,
      ...(refresh ? { refresh_token: refresh } : {}),
    };
  };
}

/**
 * Wraps a stand-in's handler: requests under the realm's OIDC paths go to the provider of the issuer the
 * request names (Keycloak derives its issuer from the request's host, so one instance serves whichever
 * name the client used); everything else goes to the route table.
 */
export function oidcFront(
  identity: EnvironmentIdentity,
  plan: FaultPlan,
  fallback: RequestListener,
  /** The environment's web frontends; read when a host's provider is first made (every listener is up by then). */
  webClients: () => readonly WebClient[] = () => [],
): RequestListener {
  const providers = new Map<string, Promise<ProviderType>>();
  // Shared by the providers of every host name this instance answers to: one Keycloak, one database.
  const store: Store = new Map();
  const providerFor = (host: string) => {
    let p = providers.get(host);
    if (!p) {
      if (providers.size >= MAX_ISSUERS) providers.delete(providers.keys().next().value!);
      p = createProvider(`http://${host}${REALM_PATH}`, identity, store, webClients());
      providers.set(host, p);
    }
    return p;
  };
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const loginAction = url.startsWith(`${REALM_PATH}${LOGIN_ACTIONS_PATH}/`);
    const isOidc =
      loginAction ||
      url === `${REALM_PATH}/.well-known/openid-configuration` ||
      url.startsWith(`${OIDC_PREFIX}/`);
    if (!isOidc) {
      fallback(req, res);
      return;
    }
    const host = req.headers.host ?? 'localhost';
    // The stand-in's faults reach the provider's answers too: injected errors, latency and drift.
    if (plan.injectError()) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'injected fault' }));
      return;
    }
    driftJsonBodies(res, plan);
    Promise.all([providerFor(host), delay(plan.latencyMs())]).then(
      ([provider]) => {
        if (loginAction) {
          handleLoginAction(provider, req, res, url.split('?')[0]!).catch((err: unknown) => {
            if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
            res.end(`login failed: ${String(err)}`);
          });
          return;
        }
        // Mounted as Express mounts it: the provider sees the path below the realm, and reads the mount
        // point back from originalUrl when it builds absolute URLs.
        (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
        req.url = url.slice(REALM_PATH.length) || '/';
        provider.callback()(req, res);
      },
      (err: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'server_error', error_description: String(err) }));
      },
    );
  };
}

const delay = (ms: number) => (ms > 0 ? sleep(ms) : Promise.resolve());

/** Applies drift faults to the JSON the provider sends, as the generic stand-in does for its routes. */
function driftJsonBodies(res: ServerResponse, plan: FaultPlan): void {
  const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
  res.end = ((chunk?: unknown) => {
    const type = String(res.getHeader('content-type') ?? '');
    if (chunk !== undefined && !res.headersSent && type.includes('json')) {
      try {
        const drifted = JSON.stringify(plan.drift(JSON.parse(String(chunk))));
        res.setHeader('content-length', Buffer.byteLength(drifted));
        return end(drifted);
      } catch {
        // Not JSON after all: sent as it is.
      }
    }
    return end(chunk);
  }) as ServerResponse['end'];
}
