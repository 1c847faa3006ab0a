// The data suite's user-facing side: the config's `data` section — the PostgreSQL databases to compare,
// each with its connection per environment (the password named by an environment variable, never written
// in the config), the service it belongs to (for the gates' service, wave and phase filters), and how the
// comparison may load the servers (statement timeout, queries per second, connections, bisection).
import { z } from 'zod';

const tlsSchema = z
  .strictObject({
    /** `disable`: no TLS; `require`: TLS without verifying the certificate; `verify-full`: TLS, certificate and host name verified. @default "disable" */
    mode: z.enum(['disable', 'require', 'verify-full']).default('disable'),
    /** PEM file with the CA certificates to trust (verify-full), relative to the config file. */
    caFile: z.string().min(1).optional(),
    /** The host name the certificate must name, when it differs from `host`. */
    servername: z.string().min(1).optional(),
  })
  .prefault({});

export const databaseConnectionSchema = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535).default(5432),
  database: z.string().min(1),
  user: z.string().min(1),
  /** The environment variable holding the password (the config never holds it). */
  passwordEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name')
    .optional(),
  tls: tlsSchema,
});

export const dataDatabaseSchema = z.strictObject({
  /** The service whose data this is (rentguy-api): the gates' service, wave and phase filters select by it. */
  service: z.string().min(1),
  /** The database's connection in each environment (baseline and target at least). */
  environments: z.record(z.string().min(1), databaseConnectionSchema),
  /** Only these tables (`schema.table` or `table`). @default every table */
  tables: z.array(z.string().min(1)).optional(),
});

export const dataSchema = z
  .strictObject({
    /** Databases by id (`rentguy-db`). */
    databases: z
      .record(
        z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a lower-case id such as rentguy-db'),
        dataDatabaseSchema,
      )
      .default({}),
    /** Per statement, on both sides. @default 30000 */
    statementTimeoutMs: z.number().int().min(100).max(3_600_000).default(30_000),
    /** Query starts per second across both sides of one database; 0 is unlimited. @default 0 */
    maxQueriesPerSecond: z.number().min(0).default(0),
    /** Connections per side (tables compared at once, in one snapshot). @default 2 */
    maxConcurrent: z.number().int().min(1).max(16).default(2),
    bisection: z
      .strictObject({
        /** Segments a differing key range is split into. @default 32 */
        factor: z.number().int().min(2).max(1024).default(32),
        /** A differing range with at most this many rows is downloaded (keys and row hashes). @default 1024 */
        threshold: z.number().int().min(1).max(1_000_000).default(1024),
      })
      .prefault({}),
    /** Differing rows listed per table. @default 20 */
    maxRowsReported: z.number().int().min(1).max(10_000).default(20),
  })
  .prefault({});

export type DataSettings = z.output<typeof dataSchema>;
export type DataDatabaseConfig = z.output<typeof dataDatabaseSchema>;
export type DatabaseConnectionConfig = z.output<typeof databaseConnectionSchema>;

/** What a command hands the suite: databases that replace the config's (the demo's local servers), tables. */
export interface DataOptions {
  databases?: Record<string, DataDatabaseConfig>;
  /** Only these tables, in every database (`cutover data diff --table`). */
  tables?: string[];
  /** Environment variables for passwords, besides the process'. */
  env?: Record<string, string>;
  onProgress?: (line: string) => void;
}
