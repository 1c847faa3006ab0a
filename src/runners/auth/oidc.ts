// Bearer tokens for integration steps, fetched the way the platform's own clients fetch them: OIDC
// discovery, then the client-credentials or password grant at the realm's token endpoint, through
// openid-client (a certified relying-party library). Tokens are cached per profile and environment and
// renewed shortly before they expire (by refresh token where one was issued). Every secret read and every
// token obtained is registered with the redactor before it is used.
import { lookup as dnsLookup } from 'node:dns';
import type * as Oidc from 'openid-client';
import type { AuthProfile } from '../../config/schema.js';
import { type PinMap, pinnedLookup } from '../http/pinning.js';
import type { Redactor } from './redact.js';

export interface EnvironmentAccess {
  /** Base URL of each service in this environment. */
  services: Readonly<Record<string, string>>;
  pins: PinMap;
  ca?: string | Buffer;
  insecure: boolean;
}

/**
 * `setup` marks a failure of the harness's own setup (an unknown profile, a secret not in the
 * environment): the step could not be tried, which says nothing about the system under test.
 */
export type TokenResult = { ok: true; token: string } | { ok: false; reason: string; setup?: boolean };

/** A missing piece of the operator's setup, as opposed to a failure of the identity provider. */
class SetupError extends Error {}

interface Cached {
  token: string;
  refreshToken?: string;
  /** ms on the run's clock; undefined when the server did not say. */
  expiresAt?: number;
  config: Oidc.Configuration;
}

// openid-client (with jose) and undici cost about 0.15 s of CPU to import: they come in with the first
// token a run fetches, so a run whose scenarios need none (or whose secrets are not set) skips them.
const openidClient = () => import('openid-client');

/** Renew this long before expiry, so a token never runs out between fetching it and using it. */
const RENEW_BEFORE_MS = 30_000;

export function issuerUrl(
  profile: AuthProfile,
  environment: string,
  access: EnvironmentAccess,
): string | undefined {
  if ('service' in profile.issuer) {
    const base = access.services[profile.issuer.service];
    return base === undefined ? undefined : `${base.replace(/\/$/, '')}${profile.issuer.path}`;
  }
  return (profile.issuer as Record<string, string>)[environment];
}

export class TokenBroker {
  readonly #cache = new Map<string, Promise<Cached>>();

  constructor(
    private readonly profiles: Readonly<Record<string, AuthProfile>>,
    private readonly environments: Readonly<Record<string, EnvironmentAccess>>,
    private readonly env: Readonly<Record<string, string | undefined>>,
    private readonly redactor: Redactor,
    private readonly now: () => number,
    private readonly timeoutMs: number,
  ) {}

  async bearer(profileName: string, environment: string): Promise<TokenResult> {
    const profile = this.profiles[profileName];
    if (!profile) {
      const known = Object.keys(this.profiles);
      return {
        ok: false,
        setup: true,
        reason: `auth profile "${profileName}" is not in the config's auth section${known.length ? ` (known: ${known.join(', ')})` : ''}`,
      };
    }
    const key = `${profileName}\u0000${environment}`;
    try {
      let entry = this.#cache.get(key);
      const current = entry ? await entry : undefined;
      if (
        !current ||
        (current.expiresAt !== undefined && current.expiresAt - RENEW_BEFORE_MS <= this.now())
      ) {
        entry = this.#fetch(profile, environment, current);
        this.#cache.set(key, entry);
        // A failed fetch is not cached: the next step may try again.
        entry.catch(() => this.#cache.delete(key));
      }
      return { ok: true, token: (await entry!).token };
    } catch (error) {
      const message = this.redactor.text(error instanceof Error ? describe(error) : String(error));
      return {
        ok: false,
        ...(error instanceof SetupError ? { setup: true } : {}),
        reason: `could not get a token for auth profile "${profileName}" on ${environment}: ${message}`,
      };
    }
  }

  #secret(name: string | undefined, what: string, isSecret = true): string {
    if (name === undefined) throw new SetupError(`no environment variable named for the ${what}`);
    const value = this.env[name];
    if (value === undefined || value === '')
      throw new SetupError(`environment variable ${name} (the ${what}) is not set`);
    if (isSecret) this.redactor.add(value);
    return value;
  }

  async #fetch(profile: AuthProfile, environment: string, previous: Cached | undefined): Promise<Cached> {
    const access = this.environments[environment];
    if (!access) throw new SetupError(`unknown environment ${environment}`);
    const config = previous?.config ?? (await this.#discover(profile, environment, access));
    const oidc = await openidClient();
    const params: Record<string, string> = {};
    if (profile.scope) params.scope = profile.scope;
    if (profile.resource) params.resource = profile.resource;
    let tokens: (Oidc.TokenEndpointResponse & Oidc.TokenEndpointResponseHelpers) | undefined;
    if (previous?.refreshToken) {
      // A refresh token the server no longer honours (expired, revoked) is not an error: sign in anew.
      tokens = await oidc.refreshTokenGrant(config, previous.refreshToken, params).catch(() => undefined);
    }
    if (tokens) {
      // Servers that do not rotate refresh tokens leave the old one valid.
      if (!tokens.refresh_token) tokens = Object.assign(tokens, { refresh_token: previous?.refreshToken });
    } else if (profile.grant === 'client_credentials') {
      tokens = await oidc.clientCredentialsGrant(config, params);
    } else {
      const username = this.#secret(profile.usernameEnv, 'user name');
      const password = this.#secret(profile.passwordEnv, 'password');
      tokens = await oidc.genericGrantRequest(config, 'password', { ...params, username, password });
    }
    this.redactor.add(tokens.access_token);
    this.redactor.add(tokens.refresh_token);
    this.redactor.add(tokens.id_token);
    const expiresIn = tokens.expiresIn();
    return {
      token: tokens.access_token,
      ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
      ...(expiresIn !== undefined ? { expiresAt: this.now() + expiresIn * 1000 } : {}),
      config,
    };
  }

  async #discover(
    profile: AuthProfile,
    environment: string,
    access: EnvironmentAccess,
  ): Promise<Oidc.Configuration> {
    const issuer = issuerUrl(profile, environment, access);
    if (!issuer)
      throw new SetupError(
        `no issuer for ${environment}: its service "${'service' in profile.issuer ? profile.issuer.service : '?'}" has no URL there`,
      );
    const clientId = profile.clientId ?? this.#secret(profile.clientIdEnv, 'client id', false);
    const secret = profile.clientSecretEnv
      ? this.#secret(profile.clientSecretEnv, 'client secret')
      : undefined;
    const oidc = await openidClient();
    const auth =
      secret === undefined
        ? oidc.None()
        : profile.tokenEndpointAuth === 'client_secret_post'
          ? oidc.ClientSecretPost(secret)
          : oidc.ClientSecretBasic(secret);
    const url = new URL(issuer);
    const options: Oidc.DiscoveryRequestOptions = {
      [oidc.customFetch]: await pinnedFetch(access, this.timeoutMs),
      timeout: Math.ceil(this.timeoutMs / 1000),
      // The platform's realms are reached over plain HTTP inside the simulator and some test setups.
      ...(url.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {}),
    };
    return oidc.discovery(url, clientId, undefined, auth, options);
  }
}

/** fetch for openid-client that honours the environment's host pins and TLS settings. */
async function pinnedFetch(access: EnvironmentAccess, timeoutMs: number): Promise<Oidc.CustomFetch> {
  const { Agent, fetch: undiciFetch } = await import('undici');
  const agent = new Agent({
    connect: {
      lookup: pinnedLookup(access.pins, undefined, dnsLookup as never) as never,
      rejectUnauthorized: !access.insecure,
      ...(access.ca ? { ca: access.ca } : {}),
      timeout: timeoutMs,
    },
  });
  return (url, options) =>
    undiciFetch(url, {
      ...(options as object),
      dispatcher: agent,
      redirect: 'manual',
    } as never) as unknown as Promise<Response>;
}

/** openid-client's errors carry the server's OAuth error code and description; a person needs both. */
function describe(error: Error): string {
  const e = error as Error & { error?: string; error_description?: string; cause?: unknown; code?: string };
  if (e.error) return `${e.error}${e.error_description ? `: ${e.error_description}` : ''}`;
  const cause = e.cause as { code?: string; message?: string } | undefined;
  if (cause?.code) return `${e.message} (${cause.code}${cause.message ? `: ${cause.message}` : ''})`;
  return e.message;
}
