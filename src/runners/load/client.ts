// Keep-alive connection pools for the load engine (undici), one per origin, with the config's host
// pinning, and the mapping of undici's failures onto the error classes a load report counts.
import { lookup as dnsLookup } from 'node:dns';
import { type Agent, type Dispatcher, Pool } from 'undici';
import { classifyError } from '../http/errors.js';
import { type PinMap, pinnedLookup } from '../http/pinning.js';
import type { ErrorClass } from './recorder.js';

export interface PoolOptions {
  pins: PinMap;
  /** Connections the pool may open: one per concurrent iteration is what k6's VUs amount to. */
  connections: number;
  timeoutMs: number;
  insecure?: boolean;
  ca?: string;
}

export function createPool(origin: string, o: PoolOptions): Dispatcher {
  const url = new URL(origin);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return new Pool(url.origin, {
    connections: o.connections,
    pipelining: 1,
    headersTimeout: o.timeoutMs,
    bodyTimeout: o.timeoutMs,
    keepAliveTimeout: 30_000,
    connect: {
      timeout: o.timeoutMs,
      lookup: pinnedLookup(o.pins, port, dnsLookup as never) as never,
      ...(url.protocol === 'https:'
        ? { rejectUnauthorized: o.insecure !== true, ...(o.ca ? { ca: o.ca } : {}), servername: url.hostname }
        : {}),
    },
  });
}

// Pools outlive a block: A/B blocks of one second must not each pay for new TCP (and TLS) handshakes,
// which would add connection setup to the latency of every block's first requests.
const shared = new Map<string, Dispatcher>();

/** The thread's pool for an origin and its options, created on first use. */
export function sharedPool(origin: string, o: PoolOptions): Dispatcher {
  const key = JSON.stringify([new URL(origin).origin, o.connections, o.timeoutMs, o.insecure, o.ca, o.pins]);
  let pool = shared.get(key);
  if (!pool) {
    pool = createPool(origin, o);
    shared.set(key, pool);
  }
  return pool;
}

/** Closes a pool, and forgets it if it was a shared one, so the next block opens a fresh one. */
export async function discardPool(pool: Dispatcher): Promise<void> {
  for (const [key, p] of shared) if (p === pool) shared.delete(key);
  await closePool(pool);
}

export async function closeSharedPools(): Promise<void> {
  const pools = [...shared.values()];
  shared.clear();
  await Promise.all(pools.map(closePool));
}

/** Unused sockets must not keep a finished run alive. */
export async function closePool(pool: Dispatcher): Promise<void> {
  await (pool as Pool | Agent).destroy().catch(() => undefined);
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as text, read only when asked for (checks need it); otherwise discarded as it arrives. */
  body: string;
}

/**
 * One request through undici's dispatch handler API rather than `request()`: no body stream is created
 * per response, which is most of request()'s cost and the difference between keeping up with wrk-class
 * tools or not. The keep-alive pool, the parser and the timeouts are undici's.
 */
export function send(
  pool: Dispatcher,
  opts: {
    origin: string;
    path: string;
    method: Dispatcher.HttpMethod;
    headers: Record<string, string>;
    body?: string;
  },
  readBody: boolean,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let headers: Answer['headers'] = {};
    let chunks: Buffer[] | undefined;
    pool.dispatch(opts, {
      onRequestStart() {},
      onResponseStart(_controller, statusCode, responseHeaders) {
        status = statusCode;
        headers = responseHeaders;
        if (readBody) chunks = [];
      },
      onResponseData(_controller, chunk) {
        chunks?.push(chunk);
      },
      onResponseEnd() {
        resolve({ status, headers, body: chunks ? Buffer.concat(chunks).toString('utf8') : '' });
      },
      onResponseError(_controller, error) {
        reject(error);
      },
    });
  });
}

export function classifyLoadError(
  error: unknown,
  host: string,
  timeoutMs: number,
): {
  kind: ErrorClass | 'aborted';
  message: string;
} {
  const err = error as { code?: string; name?: string; message?: string; cause?: unknown };
  const code = err?.code ?? '';
  switch (code) {
    case 'UND_ERR_ABORTED':
      return { kind: 'aborted', message: 'aborted' };
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { kind: 'timeout', message: `could not connect to ${host} within ${timeoutMs} ms` };
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return { kind: 'timeout', message: `no answer from ${host} within ${timeoutMs} ms` };
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return { kind: 'reset', message: `${host} closed the connection: ${err.message ?? code}` };
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
    case 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH':
    case 'HPE_INVALID_CONSTANT':
      return { kind: 'protocol', message: `malformed HTTP response from ${host} (${code})` };
  }
  if (err?.name === 'AbortError') return { kind: 'aborted', message: 'aborted' };
  const base = classifyError(err?.cause && !code ? err.cause : error, { host, timeoutMs });
  const kind = base.kind === 'too-large' ? 'protocol' : base.kind;
  return { kind, message: base.message };
}
