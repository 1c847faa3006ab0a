// The load engine's HTTP client: keep-alive wire pools (./wire), one per origin and thread, with the
// config's host pinning.
import type { PinMap } from '../http/pinning.js';
import { WirePool } from './wire/pool.js';

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
