// The backup suite's user-facing side: the config's `backup` section — where Velero runs, which of its
// schedules cover which services (or databases), the recovery-point objective a last backup must be
// inside, and the restore drill: a Restore of the newest backup into scratch namespaces, waited for with
// a deadline. The drill creates objects in the cluster, so it is opt-in.
import { z } from 'zod';
import { parseAge } from '../../core/gates/parse.js';
import {
  type DatabaseConnectionConfig,
  databaseConnectionSchema as dataConnectionSchema,
} from '../data/define.js';

const SERVICE_ID = /^[a-z][a-z0-9-]*$/;
const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A duration such as `24h`, `7d`, `30m`; checked here so a typo is refused before anything is read. */
const age = z.string().refine((t) => (parseAge(t) ?? 0) > 0, {
  error: 'expected a duration such as 24h, 36h or 7d',
});

/**
 * `ssl`, the name a backup connection's TLS had before connections took the data suite's shape: `true`
 * (verified against the system's CAs), `{ caFile }`, or `{ insecure: true }`. Accepted for one release;
 * the run notes it (sslNotes).
 */
const legacySslSchema = z.union([
  z.boolean(),
  z.strictObject({ caFile: z.string().min(1).optional(), insecure: z.boolean().default(false) }),
]);
type LegacySsl = z.output<typeof legacySslSchema>;

/** The `tls` an old `ssl` means. */
function tlsOfSsl(ssl: LegacySsl): DatabaseConnectionConfig['tls'] {
  if (ssl === false) return { mode: 'disable' };
  if (ssl === true) return { mode: 'verify-full' };
  if (ssl.insecure) return { mode: 'require' };
  return { mode: 'verify-full', ...(ssl.caFile ? { caFile: ssl.caFile } : {}) };
}

/**
 * A PostgreSQL database, as the drills reach it: the data suite's connection (`host`, `port`, `database`,
 * `user`, `passwordEnv`, `tls`), so one database is written the same way in both sections. The old `ssl`
 * becomes its `tls`, and `deprecatedSsl` remembers it was used, for the run's note.
 */
export const databaseConnectionSchema = dataConnectionSchema
  .extend({
    /** @deprecated Use `tls` (`{ mode: 'verify-full', caFile }`, `{ mode: 'require' }`); `ssl` still works for this release. */
    ssl: legacySslSchema.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.ssl !== undefined && (c.tls.mode !== 'disable' || c.tls.caFile || c.tls.servername))
      ctx.addIssue({
        code: 'custom',
        path: ['ssl'],
        message: 'give tls only: ssl is its old name',
      });
  })
  .transform(({ ssl, ...c }): DatabaseConnectionConfig & { deprecatedSsl?: true } =>
    ssl === undefined ? c : { ...c, tls: tlsOfSsl(ssl), deprecatedSsl: true },
  );
export type DatabaseConnectionSettings = z.output<typeof databaseConnectionSchema>;

/** A database inside a schedule's backup, checked after the restore drill against the live one. */
const verifySchema = z.strictObject({
  /** The database's name in the checks (`restore-data:NAME`). */
  name: z.string().regex(SERVICE_ID, 'expected a lower-case id such as rentguy-db'),
  /** The backed-up namespace it lives in. @default the backup's only namespace */
  namespace: z.string().regex(K8S_NAME, 'expected a namespace name').optional(),
  /** The live database. */
  live: databaseConnectionSchema,
  /**
   * The restored copy, where it answers once restored: `{namespace}` in its host or database stands
   * for the scratch namespace, as in `rentguy-db.{namespace}.svc.cluster.local`.
   */
  restored: databaseConnectionSchema,
  /** Only these tables are compared. @default every table */
  tables: z.array(z.string().min(1)).optional(),
  /** How long to wait for the restored copy to accept connections, and for the comparison, in seconds. @default 300 */
  timeoutSeconds: z.number().int().min(1).max(86_400).default(300),
});
export type VerifySettings = z.output<typeof verifySchema>;

const scheduleSchema = z.strictObject({
  /** The Velero Schedule's name (`velero schedule get`). */
  schedule: z.string().regex(K8S_NAME, 'expected a Velero Schedule name'),
  /** Services (or databases) its backups cover: each check is recorded for each, so `backup{service:…}` reads it. */
  covers: z.array(z.string().regex(SERVICE_ID, 'expected a service id such as rentguy-api')).default([]),
  /** This schedule's recovery-point objective, when it differs from `backup.rpo`. */
  rpo: age.optional(),
  /** Databases in the backup the restore drill compares with the live ones (the data diff). @default [] */
  verify: z.array(verifySchema).default([]),
});

const logicalDrillSchema = z.strictObject({
  /** The database's name in the checks (`logical-drill:NAME`). */
  name: z.string().regex(SERVICE_ID, 'expected a lower-case id such as rentguy-db'),
  /** Services the database belongs to: the check is recorded for each. @default [] (the check's service is NAME) */
  covers: z.array(z.string().regex(SERVICE_ID, 'expected a service id such as rentguy-api')).default([]),
  /** The environment whose database this is. @default the kubernetes environment */
  environment: z.string().min(1).optional(),
  /** The live database: dumped, and compared with its restored copy. */
  connection: databaseConnectionSchema,
  /** The scratch database the dump is restored into, on the same server; it must not exist. @default "cutover_drill_DATABASE" */
  scratchDatabase: z.string().min(1).max(63).optional(),
  /** Only these tables are compared (`schema.table` or `table`). @default every table */
  tables: z.array(z.string().min(1)).optional(),
  /** Deadline of each step (dump, restore, comparison), in seconds. @default 600 */
  timeoutSeconds: z.number().int().min(1).max(86_400).default(600),
  /** The folder of pg_dump and pg_restore; default $CUTOVER_PG_BIN, the newest /usr/lib/postgresql/N/bin, PATH. */
  pgBin: z.string().min(1).optional(),
});
export type LogicalDrillSettings = z.output<typeof logicalDrillSchema>;

export const backupSchema = z
  .strictObject({
    /** The namespace Velero is installed in. @default "velero" */
    namespace: z.string().regex(K8S_NAME, 'expected a namespace name').default('velero'),
    /**
     * The schedules to judge, and what each covers. Empty: every Schedule in Velero's namespace, held to
     * `rpo` (and at least one must exist). @default []
     */
    schedules: z.array(scheduleSchema).default([]),
    /** BackupStorageLocations that must be Available; empty: every one there is (at least one). @default [] */
    storageLocations: z
      .array(z.string().regex(K8S_NAME, 'expected a BackupStorageLocation name'))
      .default([]),
    /** Recovery-point objective: the newest backup of each schedule must be younger. @default "24h" */
    rpo: age.default('24h'),
    restoreDrill: z
      .strictObject({
        /** Restore the newest backup of each schedule into scratch namespaces during `cutover run`. @default false */
        enabled: z.boolean().default(false),
        /**
         * The scratch namespace a backed-up namespace is restored into: `PREFIX-NAMESPACE` (cut to 63
         * characters). It must not exist; the drill deletes it afterwards. @default "cutover-drill"
         */
        scratchPrefix: z
          .string()
          .regex(K8S_NAME, 'expected a namespace-name prefix')
          .default('cutover-drill'),
        /** How long to wait for each Restore to reach a final phase, in seconds. @default 600 */
        timeoutSeconds: z.number().int().min(1).max(86_400).default(600),
        /** A Restore that completes with warnings fails the drill. @default false */
        failOnWarnings: z.boolean().default(false),
        /** Delete the scratch namespaces and the Restore afterwards. @default true */
        cleanUp: z.boolean().default(true),
      })
      .prefault({}),
    /**
     * Databases outside Velero, drilled logically: pg_dump of the live database, pg_restore into a scratch
     * database, the data diff between the two, the scratch database dropped. @default []
     */
    logical: z.array(logicalDrillSchema).default([]),
    /** Per-request timeout for Kubernetes API calls, in ms. @default 10000 */
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  })
  .prefault({});

export type BackupSettings = z.output<typeof backupSchema>;

/** What a command hands the backup suite beyond the config. */
export interface BackupOptions {
  /** A kubeconfig that overrides the environment's (the demo's stand-in cluster). */
  kubeconfig?: string;
  /** Run the restore drill even if the config leaves it off (the demo's simulated Velero). */
  restoreDrill?: boolean;
  /** How often a Restore is polled, in ms. @default 2000 */
  pollMs?: number;
  /**
   * Databases to compare after each schedule's drill, replacing the config's `verify` of that schedule
   * (the demo's restored PostgreSQL databases).
   */
  verify?: Record<string, VerifySettings[]>;
  /** Environment variables for passwords, besides the process' (the demo's database role). */
  env?: Record<string, string>;
}
