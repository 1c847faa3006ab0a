// `cutover demo`'s restore drill on real rows: when the stand-in Velero restores a target namespace, the
// databases that live there (sim/databases.ts: RentGuy's, PSRA's and WPCS's, in `sevensa-apps`) are
// dumped from the target's PostgreSQL with pg_dump and restored with pg_restore into a scratch database
// named after the scratch namespace (`rentguy-cutover-drill-sevensa-apps`), as a restored pod's volume
// would come back. The backup suite is told where each copy answers (`restored`, `{namespace}` standing
// for the scratch namespace) and runs the data diff between it and the live database.
//
// The stand-in backs up when it restores: the backup holds the database as the drill starts, so the
// rows the run's flows and load wrote are in it (a real drill compares right after a backup taken for
// it). `target:velero:restore-partial` restores only part: the newest rows of each database's last table
// do not come back, and the diff names them as missing from the restore.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIM_DATABASES } from '../../sim/databases.js';
import type { RestoredNamespace, VeleroSimOptions } from '../../sim/kube/velero.js';
import { quoteIdent } from '../core/data/normalise.js';
import {
  createScratchDatabase,
  dropScratchDatabase,
  dumpDatabase,
  restoreDump,
} from '../runners/postgres/dump-restore.js';
import { runSql } from '../runners/postgres-server/index.js';
import type { BackupOptions, VerifySettings } from '../suites/backup/define.js';
import type { DemoData } from './demo-data.js';

/** Rows a partially failed restore leaves out of each database's last table. */
export const PARTIAL_RESTORE_LOST_ROWS = 20;
const STEP_TIMEOUT_MS = 60_000;

const scratchName = (database: string, namespace: string) => `${database}-${namespace}`.slice(0, 63);

/** The databases a restore of `namespace` brings back. */
const databasesIn = (namespace: string) =>
  Object.values(SIM_DATABASES).filter((d) => d.namespace === namespace);

/**
 * The stand-in Velero's restore hook for the `environment`'s server; `data` resolves once the demo's
 * PostgreSQL is up (a restore waits for it). A namespace without databases restores no data.
 */
export function demoRestoreHook(
  data: Promise<DemoData | undefined>,
  environment: string,
): NonNullable<VeleroSimOptions['onRestore']> {
  return async ({ from, to, partial }): Promise<RestoredNamespace> => {
    const server = (await data)?.servers[environment];
    const databases = databasesIn(from);
    if (!server || databases.length === 0) return { errors: 0, warnings: 0 };
    const dir = mkdtempSync(join(tmpdir(), 'cutover-velero-'));
    let items = 0;
    try {
      for (const db of databases) {
        const live = server.connectionTo(db.database);
        const file = join(dir, `${db.database}.dump`);
        // The newest pg_dump and pg_restore installed (findPgTool): never older than the server.
        const tools = { timeoutMs: STEP_TIMEOUT_MS };
        const dumped = await dumpDatabase(live, file, tools);
        if (!dumped.ok) throw new Error(`backup of ${db.database}: ${dumped.reason}`);
        const name = scratchName(db.database, to);
        // The volume a restore writes is the restore's own: one left by an earlier restore goes.
        await dropScratchDatabase(server.connection, name);
        const made = await createScratchDatabase(server.connection, name);
        if (!made.ok) throw new Error(made.reason);
        const restored = await restoreDump(server.connectionTo(name), file, tools);
        if (!restored.ok) throw new Error(`restore of ${db.database}: ${restored.reason}`);
        if (partial) {
          const table = quoteIdent(Object.keys(db.mutable).at(-1)!);
          await runSql(
            server.connectionTo(name),
            `DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} ORDER BY ctid DESC LIMIT ${PARTIAL_RESTORE_LOST_ROWS})`,
          );
        }
        items += Object.keys(db.mutable).length;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return { errors: 0, warnings: 0, items };
  };
}

/**
 * What the backup suite compares after the drill: per schedule backing up a namespace with databases,
 * each database's live copy on the `environment`'s server and its restored copy beside it, reached
 * with the read-only `cutover` role.
 */
export function demoRestoreVerify(
  data: DemoData,
  environment: string,
  schedules: Record<string, readonly string[]>,
): Pick<BackupOptions, 'verify' | 'env'> {
  const server = data.servers[environment];
  if (!server) return {};
  const connection = (database: string) => ({
    host: server.connection.host,
    port: server.connection.port,
    database,
    user: 'cutover',
    passwordEnv: data.password.env,
    tls: { mode: 'disable' as const },
  });
  const verify: Record<string, VerifySettings[]> = {};
  for (const [schedule, namespaces] of Object.entries(schedules)) {
    const found = namespaces.flatMap((namespace) =>
      Object.entries(SIM_DATABASES)
        .filter(([, db]) => db.namespace === namespace)
        .map(([id, db]) => ({
          name: id,
          namespace,
          live: connection(db.database),
          restored: connection(scratchName(db.database, '{namespace}')),
          timeoutSeconds: 60,
        })),
    );
    if (found.length) verify[schedule] = found;
  }
  return { verify, env: { [data.password.env]: data.password.value } };
}
