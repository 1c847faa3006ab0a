// The load engine's HTTP client: keep-alive wire pools (./wire), one per origin and thread, with the
// config's host pinning, and a promise-shaped send for the executor.
import type { PinMap } from '../http/pinning.js';
import type { WireFailure } from './wire/connection.js';
import { WirePool } from './wire/pool.js';
import { serialiseRequest } from './wire/request-bytes.js';

export type { WireFailure } from './wire/connection.js';
export { serialiseRequest };

export interface PoolOptions {
  pins: PinMap;
  /** Connections the pool may open: one per concurrent iteration is what k6's VUs amount to. */
  connections: number;
  timeoutMs: number;
  insecure?: boolean;
  ca?: string;
}

export function createPool(origin: string, o: PoolOptions): WirePool {
  return new WirePool(origin, o);
}

// Pools outlive a block: A/B blocks of one second must not each pay for new TCP (and TLS) handshakes,
// which would add connection setup to the latency of every block's first requests.
const shared = new Map<string, WirePool>();

/** The thread's pool for an origin and its options, created on first use. */
export function sharedPool(origin: string, o: PoolOptions): WirePool {
  const key = JSON.stringify([new URL(origin).origin, o.connections, o.timeoutMs, o.insecure, o.ca, o.pins]);
  let pool = shared.get(key);
  if (!pool) {
    pool = createPool(origin, o);
    shared.set(key, pool);
  }
  return pool;
}

/** Closes a pool, and forgets it if it was a shared one, so the next block opens a fresh one. */
export function discardPool(pool: WirePool): void {
  for (const [key, p] of shared) if (p === pool) shared.delete(key);
  pool.destroy();
}

/** Unused sockets must not keep a finished run alive. */
export function closeSharedPools(): void {
  const pools = [...shared.values()];
  shared.clear();
  for (const p of pools) p.destroy();
}

export interface Answer {
  status: number;
  /** Lower-case names; only for requests that asked for them (checks). */
  headers: Record<string, string>;
  /** The body as text, only when asked for (checks need it). */
  body: string;
}

const NO_HEADERS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/**
 * One request. Resolves with the answer or the classified failure — failures are values, not
 * exceptions: at tens of thousands of refused connections a second, a stack trace each would cost
 * more than the requests.
 */
export function send(
  pool: WirePool,
  bytes: Buffer,
  method: string,
  readBody: boolean,
): Promise<Answer | WireFailure> {
  return new Promise((resolve) => {
    pool.request({ bytes, method, wantHeaders: readBody, wantBody: readBody }, (failure, r) => {
      if (failure) resolve(failure);
      else
        resolve({
          status: r!.status,
          headers: r!.headers ?? NO_HEADERS,
          body: r!.body ? r!.body.toString('utf8') : '',
        });
    });
  });
}

export function isFailure(r: Answer | WireFailure): r is WireFailure {
  return (r as WireFailure).kind !== undefined;
}
