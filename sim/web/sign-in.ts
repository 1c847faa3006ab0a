// A frontend's side of the OpenID Connect sign-in: the authorization request with PKCE (S256), state and
// nonce; the callback that checks them and exchanges the code at the realm's token endpoint; and the
// sessions that follow. Cookies are HttpOnly, SameSite=Lax and not Secure (see http.ts), and named after
// the service, since cookies ignore ports and every baseline frontend shares the host 127.0.0.1.

import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { API_RESOURCE, webClientSecret } from '../identity.js';
import { REALM_PATH, WEB_SCOPE } from '../oidc.js';
import { cookie, peerRequest, readCookies } from './http.js';

/** Where a peer service listens (`internal`) and the URL browsers use for it (`public`). */
export interface Peer {
  internal: string;
  public: string;
}

export interface Session {
  accessToken: string;
  name: string;
  expiresAtMs: number;
}

interface Pending {
  verifier: string;
  nonce: string;
  next: string;
  redirectUri: string;
  createdAtMs: number;
}

const PENDING_TTL_MS = 10 * 60_000;
/** Bounds on what a stream of anonymous requests can make a frontend keep. */
const MAX_PENDING = 1000;
const MAX_SESSIONS = 1000;

const b64url = (buf: Buffer) => buf.toString('base64url');
const random = () => b64url(randomBytes(32));

/** Only a local path is a place to go back to after signing in: never another site. */
function safeNext(next: string | null): string {
  return next && /^\/(?!\/)[^\\]*$/.test(next) ? next : '/';
}

function bounded<K, V>(map: Map<K, V>, max: number): void {
  while (map.size > max) map.delete(map.keys().next().value as K);
}

export type Step = { location: string; cookies: string[] } | { error: string };

export class SignIn {
  private readonly pending = new Map<string, Pending>();
  private readonly sessions = new Map<string, Session>();
  private readonly loginCookie: string;
  private readonly sessionCookie: string;

  constructor(
    private readonly o: {
      serviceId: string;
      peer: (service: string) => Peer | undefined;
      now: () => number;
      /** login-broken: the client secret the frontend sends is not the one the realm knows. */
      loginBroken: boolean;
    },
  ) {
    this.loginCookie = `${o.serviceId}_login`;
    this.sessionCookie = `${o.serviceId}_session`;
  }

  /** The redirect to Keycloak's authorization endpoint, and the cookie binding it to this browser. */
  start(req: IncomingMessage, next: string | null): Step {
    const keycloak = this.o.peer('keycloak');
    if (!keycloak) return { error: 'The identity provider (keycloak) is not part of this environment.' };
    const state = random();
    const verifier = random();
    const nonce = random();
    // The frontend's own origin as the browser addressed it: the redirect URI registered for it.
    const redirectUri = `http://${req.headers.host}/callback`;
    this.pending.set(state, {
      verifier,
      nonce,
      next: safeNext(next),
      redirectUri,
      createdAtMs: this.o.now(),
    });
    bounded(this.pending, MAX_PENDING);
    const auth = new URL(`${keycloak.public}${REALM_PATH}/protocol/openid-connect/auth`);
    auth.search = new URLSearchParams({
      client_id: this.o.serviceId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: WEB_SCOPE,
      resource: API_RESOURCE,
      state,
      nonce,
      code_challenge: b64url(createHash('sha256').update(verifier).digest()),
      code_challenge_method: 'S256',
    }).toString();
    return { location: auth.href, cookies: [cookie(this.loginCookie, state, PENDING_TTL_MS / 1000)] };
  }

  /** The callback: state checked against the cookie, the code exchanged, a session begun. */
  async finish(req: IncomingMessage, query: URLSearchParams): Promise<Step> {
    const state = query.get('state') ?? '';
    const pending = this.pending.get(state);
    if (!state || readCookies(req).get(this.loginCookie) !== state || !pending) {
      return { error: 'This sign-in was not started in this browser, or it has expired. Please try again.' };
    }
    this.pending.delete(state);
    if (this.o.now() - pending.createdAtMs > PENDING_TTL_MS) return { error: 'The sign-in expired.' };
    const refused = query.get('error');
    if (refused) return { error: `The identity provider refused the sign-in: ${refused}.` };
    const keycloak = this.o.peer('keycloak');
    if (!keycloak) return { error: 'The identity provider (keycloak) is not part of this environment.' };
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code: query.get('code') ?? '',
      redirect_uri: pending.redirectUri,
      client_id: this.o.serviceId,
      client_secret: webClientSecret(this.o.serviceId) + (this.o.loginBroken ? '-stale' : ''),
      code_verifier: pending.verifier,
      resource: API_RESOURCE,
    }).toString();
    let answer: Awaited<ReturnType<typeof peerRequest>>;
    try {
      answer = await peerRequest(
        keycloak.internal,
        new URL(keycloak.public).host,
        `${REALM_PATH}/protocol/openid-connect/token`,
        { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body },
      );
    } catch (err) {
      return { error: `The identity provider did not answer: ${(err as Error).message}.` };
    }
    let tokens: { access_token?: string; id_token?: string; expires_in?: number; error?: string };
    try {
      tokens = JSON.parse(answer.body) as typeof tokens;
    } catch {
      tokens = {};
    }
    if (answer.status !== 200 || !tokens.access_token || !tokens.id_token) {
      return {
        error: `The identity provider refused the code exchange (HTTP ${answer.status}${tokens.error ? `, ${tokens.error}` : ''}).`,
      };
    }
    const claims = JSON.parse(
      Buffer.from(tokens.id_token.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as {
      nonce?: string;
      name?: string;
      preferred_username?: string;
    };
    if (claims.nonce !== pending.nonce)
      return { error: 'The ID token does not answer this sign-in (nonce).' };
    const id = random();
    const ttlS = tokens.expires_in ?? 300;
    this.sessions.set(id, {
      accessToken: tokens.access_token,
      name: claims.name ?? claims.preferred_username ?? 'signed in',
      expiresAtMs: this.o.now() + ttlS * 1000,
    });
    bounded(this.sessions, MAX_SESSIONS);
    return {
      location: pending.next,
      cookies: [cookie(this.sessionCookie, id, ttlS), cookie(this.loginCookie, '', 0)],
    };
  }

  /** The live session of this request, if any (an expired one signs in again, silently while Keycloak's lasts). */
  session(req: IncomingMessage): Session | undefined {
    const id = readCookies(req).get(this.sessionCookie);
    const session = id ? this.sessions.get(id) : undefined;
    if (!session || session.expiresAtMs <= this.o.now()) return undefined;
    return session;
  }

  /** Ends the session; returns the cookie that clears it. */
  end(req: IncomingMessage): string {
    const id = readCookies(req).get(this.sessionCookie);
    if (id) this.sessions.delete(id);
    return cookie(this.sessionCookie, '', 0);
  }
}
