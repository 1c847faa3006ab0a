// One side's connections of a comparison: `lanes` connections that share one consistent snapshot (the
// first exports it, the others import it: REPEATABLE READ, READ ONLY), with pinned session settings
// (core/data/normalise.ts) and a statement timeout. Every query goes through the throttle (queries per
// second across both sides) and is counted, with the bytes received. A failing table rolls back to its
// savepoint, so the snapshot stays usable for the others.
import pg from 'pg';
import { quoteLiteral, SESSION_SETTINGS } from '../../core/data/normalise.js';
import type { Query } from '../../core/data/sql.js';

export interface DatabaseConnection {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  /** TLS: false/undefined for none, true to require it with the system's CAs, or node's TLS options. */
  ssl?:
    | boolean
    | { rejectUnauthorized?: boolean; ca?: string; cert?: string; key?: string; servername?: string };
}

/** `user@host:port/database`: how a side is named in results and messages (never with its password). */
export const connectionLabel = (c: DatabaseConnection) => `${c.user}@${c.host}:${c.port}/${c.database}`;

export interface Counters {
  queries: number;
  bytes: number;
}

/** At most `perSecond` query starts per second, shared by every connection of a comparison. */
export class Throttle {
  private next = 0;
  constructor(private readonly perSecond: number | undefined) {}
  async wait(): Promise<void> {
    if (!this.perSecond || this.perSecond <= 0) return;
    const now = performance.now();
    const at = Math.max(now, this.next);
    this.next = at + 1000 / this.perSecond;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  }
}

/** A query that failed in a way that makes a table (not the whole comparison) inconclusive. */
export class QueryFailure extends Error {
  override readonly name = 'QueryFailure';
}

/** A reason in words for a failed query: permissions and timeouts by their PostgreSQL error codes. */
export function describeFailure(error: unknown, statementTimeoutMs: number): string {
  const e = error as { code?: string; message?: string };
  if (e.code === '57014') return `the statement timeout (${statementTimeoutMs} ms) was reached`;
  if (e.code === '42501') return `permission denied: ${e.message ?? ''}`.trim();
  if (e.code === '55P03') return `a lock was not granted within ${statementTimeoutMs} ms`;
  return e.message ?? String(error);
}

export class Lane {
  constructor(
    private readonly client: pg.Client,
    private readonly throttle: Throttle,
    private readonly counters: Counters,
    private readonly statementTimeoutMs: number,
  ) {}

  async query<T extends Record<string, unknown>>(q: Query | string): Promise<T[]> {
    await this.throttle.wait();
    this.counters.queries++;
    const { text, values } = typeof q === 'string' ? { text: q, values: [] } : q;
    try {
      return (await this.client.query<T>(text, values)).rows;
    } catch (error) {
      throw new QueryFailure(describeFailure(error, this.statementTimeoutMs));
    }
  }

  /** Runs `work` inside a savepoint: a failure rolls back to it and is rethrown, leaving the snapshot usable. */
  async guarded<T>(work: () => Promise<T>): Promise<T> {
    await this.client.query('SAVEPOINT cutover_table');
    try {
      const result = await work();
      await this.client.query('RELEASE SAVEPOINT cutover_table');
      return result;
    } catch (error) {
      await this.client.query('ROLLBACK TO SAVEPOINT cutover_table').catch(() => {});
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.client.query('ROLLBACK').catch(() => {});
    await this.client.end().catch(() => {});
  }
}

async function openClient(
  connection: DatabaseConnection,
  counters: Counters,
  statementTimeoutMs: number,
  connectTimeoutMs: number,
): Promise<pg.Client> {
  const client = new pg.Client({
    host: connection.host,
    port: connection.port,
    database: connection.database,
    user: connection.user,
    ...(connection.password !== undefined ? { password: connection.password } : {}),
    ...(connection.ssl ? { ssl: connection.ssl } : {}),
    connectionTimeoutMillis: connectTimeoutMs,
    application_name: 'cutover data diff',
  });
  // A connection that breaks later must not become an unhandled 'error' event; its query fails instead.
  client.on('error', () => {});
  await client.connect();
  // The bytes received, for the figures of a comparison (node-postgres keeps its socket here).
  const stream = (client as unknown as { connection?: { stream?: NodeJS.EventEmitter } }).connection?.stream;
  stream?.on('data', (chunk: Buffer) => (counters.bytes += chunk.length));
  const settings = {
    ...SESSION_SETTINGS,
    statement_timeout: String(statementTimeoutMs),
    lock_timeout: String(statementTimeoutMs),
    default_transaction_read_only: 'on',
  };
  await client.query(
    Object.entries(settings)
      .map(([k, v]) => `SET ${k} = ${quoteLiteral(v)}`)
      .join('; '),
  );
  return client;
}

export interface Side {
  label: string;
  lanes: Lane[];
  close(): Promise<void>;
}

/** Opens `lanes` connections to one database in one exported snapshot. */
export async function openSide(
  connection: DatabaseConnection,
  lanes: number,
  shared: { throttle: Throttle; counters: Counters; statementTimeoutMs: number; connectTimeoutMs: number },
): Promise<Side> {
  const clients: pg.Client[] = [];
  const close = async () => void (await Promise.all(clients.map((c) => c.end().catch(() => {}))));
  try {
    const open = () =>
      openClient(connection, shared.counters, shared.statementTimeoutMs, shared.connectTimeoutMs);
    const first = await open();
    clients.push(first);
    await first.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot =
      lanes > 1
        ? ((await first.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]?.id ?? '')
        : '';
    for (let i = 1; i < lanes; i++) {
      const client = await open();
      clients.push(client);
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query(`SET TRANSACTION SNAPSHOT ${quoteLiteral(snapshot)}`);
    }
    const laneList = clients.map(
      (c) => new Lane(c, shared.throttle, shared.counters, shared.statementTimeoutMs),
    );
    return {
      label: connectionLabel(connection),
      lanes: laneList,
      close: async () => void (await Promise.all(laneList.map((l) => l.close()))),
    };
  } catch (error) {
    await close();
    throw error;
  }
}
