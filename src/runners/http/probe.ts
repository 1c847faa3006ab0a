// One HTTP(S) request with a hard deadline, a body cap and the TLS facts a smoke check needs. Built on
// node:http rather than undici because a smoke check must read the peer certificate off the socket, and
// node:http exposes it; the load engine, which needs no certificate, has its own leaner client (load/wire).
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { type BodyReader, readCappedBody } from './body.js';
import { classifyError, type NetError, probeError } from './errors.js';
import type { FramingFault } from './framing.js';
import { type PinMap, pinnedLookup } from './pinning.js';

export interface ProbeOptions {
  method?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  maxBodyBytes: number;
  pins?: PinMap;
  /** Extra CA certificates (PEM) to trust. */
  ca?: string | Buffer;
  /** Aborting destroys the request at once (Ctrl-C must not wait for timeouts). */
  signal?: AbortSignal;
}

export interface TlsFacts {
  authorized: boolean;
  authorizationError?: string;
  protocol: string;
  subject: string;
  issuer: string;
  validTo: string;
  daysToExpiry: number;
}

export interface ProbeResponse {
  ok: true;
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  elapsedMs: number;
  /** The address actually connected to (after pinning). */
  remoteAddress?: string;
  tls?: TlsFacts;
  /** The server broke the message framing (bytes after the response); the answer is kept. */
  framing?: FramingFault;
}

export interface ProbeFailure {
  ok: false;
  error: NetError;
  elapsedMs: number;
  status?: number;
  tls?: TlsFacts;
}

export type ProbeResult = ProbeResponse | ProbeFailure;

const DAY_MS = 86_400_000;

const first = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

function tlsFacts(socket: TLSSocket, now: number): TlsFacts | undefined {
  const cert = socket.getPeerCertificate?.();
  if (!cert || Object.keys(cert).length === 0) return undefined;
  const validTo = new Date(cert.valid_to).getTime();
  const err = socket.authorizationError;
  return {
    authorized: socket.authorized,
    ...(err ? { authorizationError: String(err) } : {}),
    protocol: socket.getProtocol() ?? 'unknown',
    subject: first(cert.subject?.CN),
    issuer: first(cert.issuer?.CN ?? cert.issuer?.O),
    validTo: Number.isFinite(validTo) ? new Date(validTo).toISOString() : cert.valid_to,
    daysToExpiry: Number.isFinite(validTo) ? Math.floor((validTo - now) / DAY_MS) : Number.NaN,
  };
}

/**
 * Sends one request. Never throws: every failure — refused, DNS, reset, timeout, TLS, malformed
 * response, oversized body — comes back as a classified ProbeFailure.
 */
export function probe(url: string, options: ProbeOptions): Promise<ProbeResult> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve({
      ok: false,
      error: { kind: 'other', message: `not a URL: ${url}` },
      elapsedMs: 0,
    });
  }
  const isHttps = target.protocol === 'https:';
  const port = target.port || (isHttps ? 443 : 80);
  const context = { host: target.host, timeoutMs: options.timeoutMs };

  return new Promise((resolve) => {
    let settled = false;
    let tls: TlsFacts | undefined;
    let status: number | undefined;
    let reader: BodyReader | undefined;
    const finish = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const fail = (error: unknown) => {
      // Bytes after a complete response are the answer's framing fault, not a failure (body.ts).
      if (reader?.tookError(error)) return;
      finish({
        ok: false,
        error: classifyError(error, context),
        elapsedMs: elapsed(),
        ...(status !== undefined ? { status } : {}),
        ...(tls ? { tls } : {}),
      });
    };

    const requestOptions: https.RequestOptions = {
      method: options.method ?? 'GET',
      headers: { 'user-agent': 'cutover-smoke', accept: '*/*', ...options.headers },
      lookup: pinnedLookup(options.pins ?? {}, port, dnsLookup as never) as never,
      // A fresh connection per probe: a smoke check measures the service, not a warm pool.
      agent: false,
      ...(isHttps
        ? {
            servername: target.hostname,
            rejectUnauthorized: false,
            ...(options.ca ? { ca: options.ca } : {}),
          }
        : {}),
    };
    const method = requestOptions.method ?? 'GET';
    const req = (isHttps ? https : http).request(target, requestOptions, (res) => {
      status = res.statusCode;
      const remoteAddress = req.socket?.remoteAddress;
      reader = readCappedBody(
        req,
        res,
        { method, maxBytes: options.maxBodyBytes },
        ({ body, framing }) =>
          finish({
            ok: true,
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            elapsedMs: elapsed(),
            ...(remoteAddress ? { remoteAddress } : {}),
            ...(tls ? { tls } : {}),
            ...(framing ? { framing } : {}),
          }),
        fail,
      );
      res.on('error', fail);
      res.on('aborted', () => fail(probeError('reset', `${target.host} aborted the response`)));
    });
    // With rejectUnauthorized off the request goes on, so the facts of an invalid certificate are
    // recorded; the smoke suite fails the TLS check on them. No credentials are ever sent by a probe.
    req.on('socket', (socket) => {
      if (isHttps) socket.once('secureConnect', () => (tls = tlsFacts(socket as TLSSocket, Date.now())));
    });
    req.on('error', fail);
    const timer = setTimeout(
      () =>
        req.destroy(
          probeError('timeout', `no complete answer from ${target.host} within ${options.timeoutMs} ms`),
        ),
      options.timeoutMs,
    );
    const onAbort = () => req.destroy(probeError('other', 'interrupted'));
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    req.once('close', () => options.signal?.removeEventListener('abort', onAbort));
    req.end();
  });
}

/** The media type of a response, without parameters: `application/json; charset=utf-8` → `application/json`. */
export function mediaType(headers: http.IncomingHttpHeaders): string | undefined {
  const raw = headers['content-type'];
  return raw ? raw.split(';')[0]!.trim().toLowerCase() : undefined;
}
