// One API request of an integration step: a body, a deadline, a body cap, host pinning, and redirects
// followed only within the hosts the config names. Unlike the smoke probe (which must read an invalid
// certificate's facts and so connects with verification off), an integration request carries credentials:
// it verifies the certificate before anything is sent, unless the environment says `tls.insecure`.
// Never throws: every failure comes back classified with a reason a person can read.
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { type BodyReader, readCappedBody } from './body.js';
import { decodeContent } from './content-coding.js';
import { classifyError, type NetError, probeError } from './errors.js';
import type { FramingFault } from './framing.js';
import { type PinMap, pinnedLookup } from './pinning.js';

export interface ApiRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ApiRequestOptions {
  timeoutMs: number;
  maxBodyBytes: number;
  maxRedirects: number;
  pins: PinMap;
  ca?: string | Buffer;
  insecure: boolean;
  /** Origins (`http://host:port`) a redirect may lead to; anything else is refused, never fetched. */
  allowedOrigins: ReadonlySet<string>;
  signal?: AbortSignal;
}

export interface ApiResponse {
  ok: true;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  elapsedMs: number;
  /** The URLs redirected through, in order (empty when the first answer was final). */
  redirects: string[];
  /** The server broke the message framing (bytes after the response); the answer is kept. */
  framing?: FramingFault;
}

export interface ApiFailure {
  ok: false;
  error: NetError | { kind: 'redirect'; message: string };
  elapsedMs: number;
}

export type ApiResult = ApiResponse | ApiFailure;

function flatten(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function once(req: ApiRequest, options: ApiRequestOptions, deadline: number): Promise<ApiResult> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
  const target = new URL(req.url);
  const isHttps = target.protocol === 'https:';
  const port = target.port || (isHttps ? 443 : 80);
  const remaining = Math.max(1, deadline - performance.now());
  const context = { host: target.host, timeoutMs: options.timeoutMs };
  return new Promise((resolve) => {
    let settled = false;
    let reader: BodyReader | undefined;
    const finish = (r: ApiResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const fail = (error: unknown) => {
      // Bytes after a complete response are the answer's framing fault, not a failure (http/body.ts).
      if (reader?.tookError(error)) return;
      finish({ ok: false, error: classifyError(error, context), elapsedMs: elapsed() });
    };
    const headers: Record<string, string> = {
      'user-agent': 'cutover-integration',
      accept: 'application/json, */*;q=0.5',
      ...req.headers,
    };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    const r = (isHttps ? https : http).request(
      target,
      {
        method: req.method,
        headers,
        lookup: pinnedLookup(options.pins, port, dnsLookup as never) as never,
        agent: false,
        ...(isHttps
          ? {
              servername: target.hostname,
              rejectUnauthorized: !options.insecure,
              ...(options.ca ? { ca: options.ca } : {}),
            }
          : {}),
      },
      (res) => {
        const read = { method: req.method, maxBytes: options.maxBodyBytes };
        reader = readCappedBody(
          r,
          res,
          read,
          ({ body: raw, framing }) => {
            const headers = flatten(res.headers);
            let body: Buffer;
            try {
              body = decodeContent(raw, headers['content-encoding'], options.maxBodyBytes);
            } catch (error) {
              fail(
                probeError('protocol', `malformed answer from ${target.host}: ${(error as Error).message}`),
              );
              return;
            }
            finish({
              ok: true,
              status: res.statusCode ?? 0,
              headers,
              body,
              elapsedMs: elapsed(),
              redirects: [],
              ...(framing ? { framing } : {}),
            });
          },
          fail,
        );
        res.on('error', fail);
        res.on('aborted', () => fail(probeError('reset', `${target.host} aborted the response`)));
      },
    );
    r.on('error', fail);
    const timer = setTimeout(
      () =>
        r.destroy(
          probeError('timeout', `no complete answer from ${target.host} within ${options.timeoutMs} ms`),
        ),
      remaining,
    );
    const onAbort = () => r.destroy(probeError('other', 'interrupted'));
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    r.once('close', () => options.signal?.removeEventListener('abort', onAbort));
    r.end(req.body);
  });
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Sends the request, following redirects within the allowed origins; the deadline covers all hops. */
export async function sendApiRequest(req: ApiRequest, options: ApiRequestOptions): Promise<ApiResult> {
  const deadline = performance.now() + options.timeoutMs;
  const seen = [req.url];
  let current = req;
  let total = 0;
  for (;;) {
    const result = await once(current, options, deadline);
    total += result.elapsedMs;
    if (!result.ok || !REDIRECTS.has(result.status) || !result.headers.location) {
      return result.ok
        ? { ...result, elapsedMs: total, redirects: seen.slice(1) }
        : { ...result, elapsedMs: total };
    }
    const next = new URL(result.headers.location, current.url);
    const fail = (message: string): ApiFailure => ({
      ok: false,
      error: { kind: 'redirect', message },
      elapsedMs: total,
    });
    if (seen.includes(next.href))
      return fail(`redirect loop: ${[...seen, next.href].map((u) => new URL(u).pathname).join(' → ')}`);
    if (seen.length > options.maxRedirects)
      return fail(`more than ${options.maxRedirects} redirects (last to ${next.pathname})`);
    if (!options.allowedOrigins.has(next.origin))
      return fail(`redirect to ${next.origin}, which is not a host in the config; not followed`);
    seen.push(next.href);
    // 303, and 301/302 after a POST, turn into a GET without a body, as browsers and fetch do.
    const toGet =
      result.status === 303 ||
      ((result.status === 301 || result.status === 302) && current.method === 'POST');
    const headers = { ...current.headers };
    if (toGet) delete headers['content-type'];
    // Credentials stay with the origin they were meant for, as fetch does.
    if (next.origin !== new URL(current.url).origin) {
      delete headers.authorization;
      delete headers.cookie;
    }
    current = toGet ? { method: 'GET', url: next.href, headers } : { ...current, url: next.href, headers };
  }
}
