// The simulated APIs' PostgreSQL: when the simulator is given a database server per environment (the
// demo's, a test's), RentGuy, PSRA and WPCS keep their rows in their own database there (sim/databases.ts
// seeds them), through one small pool each — so the rows the integration flows read and write are the
// rows the data-parity suite compares. The server may still be starting when the simulator is: the pool
// opens on the first request, and a server that never came up leaves the APIs in memory.
import pg from 'pg';
import { SIM_DATABASES } from './databases.js';

/** Where an environment's PostgreSQL answers, and the application role the APIs sign in with. */
export interface SimDatabaseServer {
  host: string;
  port: number;
  user: string;
  password?: string;
}

/**
 * Per environment, its server — or a promise of it, resolving to undefined when it did not start (the
 * demo starts PostgreSQL alongside the simulator).
 */
export type SimDatabases = Readonly<
  Record<string, SimDatabaseServer | Promise<SimDatabaseServer | undefined> | undefined>
>;

/** What a route table may do with its database: a query, or several in one transaction. */
export interface SimDb {
  query<T extends Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  transaction<T>(work: (q: SimDb['query']) => Promise<T>): Promise<T>;
}

const POOL_SIZE = 4;
// The application pins its session, as an application's driver does: the servers' own defaults differ
// on purpose (the target's DateStyle is `SQL, DMY`), and the API's JSON must not depend on them.
const SESSION = '-c TimeZone=UTC -c DateStyle=ISO -c extra_float_digits=1';
// Dates stay `YYYY-MM-DD` text (node-postgres would make them local midnights); bigint ids stay text.
const TYPES = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.DATE ? (value: string) => value : pg.types.getTypeParser(oid, format as 'text'),
};

function dbOf(pool: pg.Pool): SimDb {
  const query: SimDb['query'] = async (text, values = []) => (await pool.query(text, values)).rows;
  return {
    query,
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(async (text, values = []) => (await client.query(text, values)).rows);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

export interface SimDatabaseAccess {
  /** The lazy database of a service on an environment; undefined for a service without one. */
  forService(environment: string, service: string): (() => Promise<SimDb | undefined>) | undefined;
  /** Closes every pool opened. */
  close(): Promise<void>;
}

export function simDatabaseAccess(servers: SimDatabases = {}): SimDatabaseAccess {
  const pools: pg.Pool[] = [];
  const opened = new Map<string, Promise<SimDb | undefined>>();
  return {
    forService(environment, service) {
      const db = Object.values(SIM_DATABASES).find((d) => d.service === service);
      const server = servers[environment];
      if (!db || server === undefined) return undefined;
      const key = `${environment}/${db.database}`;
      return () => {
        let ready = opened.get(key);
        if (!ready) {
          ready = Promise.resolve(server).then((s) => {
            if (!s) return undefined;
            const pool = new pg.Pool({
              ...s,
              database: db.database,
              max: POOL_SIZE,
              idleTimeoutMillis: 10_000,
              options: SESSION,
              types: TYPES,
              application_name: `sim ${service}`,
            });
            // A connection dropped while idle (the server stopping first) must not crash the simulator.
            pool.on('error', () => {});
            pools.push(pool);
            return dbOf(pool);
          });
          opened.set(key, ready);
        }
        return ready;
      };
    },
    close: async () => void (await Promise.all(pools.splice(0).map((p) => p.end().catch(() => {})))),
  };
}
