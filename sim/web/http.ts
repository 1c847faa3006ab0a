// Small HTTP pieces the simulated web frontends and the Keycloak login page share: HTML escaping, form
// bodies, cookies, and a request to a peer service of the same environment.

import { type IncomingMessage, request, type ServerResponse } from 'node:http';

const MAX_FORM_BYTES = 64 * 1024;

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string | string[]> = {},
): void {
  send(res, status, 'text/html; charset=utf-8', html, headers);
}

export function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string | string[]> = {},
): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(res.req?.method === 'HEAD' ? undefined : body);
}

export function redirect(res: ServerResponse, location: string, cookies: string[] = []): void {
  res.writeHead(302, {
    location,
    'content-length': 0,
    'cache-control': 'no-store',
    ...(cookies.length ? { 'set-cookie': cookies } : {}),
  });
  res.end();
}

/** A form-encoded body, or undefined when it is larger than any login form would send. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export function readCookies(req: IncomingMessage): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies.set(part.slice(0, eq).trim(), decodeURIComponent(part.slice(eq + 1).trim()));
  }
  return cookies;
}

/**
 * A cookie a plain-HTTP loopback site can keep: HttpOnly and SameSite=Lax, and deliberately not Secure —
 * a browser drops a Secure cookie set over http:// on a host that is not a secure context (the target's
 * host names), which is exactly how Keycloak ≥ 24 logins break there.
 */
export function cookie(name: string, value: string, maxAgeS: number): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeS}`;
}

export interface PeerAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A request to a service of the same environment, sent to its loopback address but naming the host the
 * browser uses (Keycloak takes its issuer from the Host header, so the code exchange must reach the same
 * issuer the browser signed in at).
 */
export function peerRequest(
  internalUrl: string,
  hostHeader: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<PeerAnswer> {
  const base = new URL(internalUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: base.hostname.replace(/^\[|\]$/g, ''),
        port: base.port,
        path,
        method: init.method ?? 'GET',
        headers: {
          host: hostHeader,
          ...init.headers,
          ...(init.body !== undefined ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}),
        },
        timeout: init.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${hostHeader} within the deadline`)));
    req.on('error', reject);
    req.end(init.body);
  });
}
