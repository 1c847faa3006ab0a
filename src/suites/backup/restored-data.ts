// After a restore drill, the databases in the backup compared with the live ones: the restored copy is
// reached where the config says (`{namespace}` standing for the scratch namespace), waited for until it
// accepts connections (a restored PostgreSQL pod takes a while to start), then the data diff between the
// live database and the copy. One check per database and covered service (`restore-data:NAME`).
import { judgeRestoredData } from '../../core/backup/restored-data.js';
import { pollPause } from '../../runners/kube/wait.js';
import type { SuiteContext } from '../suite.js';
import type { DatabaseConnectionSettings } from './define.js';
import { recordCheck } from './evidence.js';
import { toConnection } from './logical.js';
import type { VerifyPlan } from './plan.js';

/** Errors of a copy still starting (no listener, name not in DNS yet, database not created yet). */
const NOT_YET = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|starting up|does not exist|timeout/i;

const fill = (c: DatabaseConnectionSettings, scratch: string): DatabaseConnectionSettings => ({
  ...c,
  host: c.host.replaceAll('{namespace}', scratch),
  database: c.database.replaceAll('{namespace}', scratch),
});

/**
 * Compares each database of the drill's backup with its live one; `restored` says whether the Restore
 * completed (when it did not, the copies are not looked at, and the checks say so). Returns the checks
 * recorded.
 */
export async function verifyRestoredData(
  ctx: SuiteContext,
  environment: string,
  o: {
    schedule: string;
    covers: string[];
    verify: readonly VerifyPlan[];
    /** Backed-up namespace → its scratch namespace. */
    mapping: Record<string, string>;
    restored: boolean;
    pollMs: number;
  },
): Promise<number> {
  const { diffDatabases } = await import('../../runners/postgres/diff.js');
  let recorded = 0;
  for (const v of o.verify) {
    const s = v.settings;
    const record = (
      ok: boolean,
      reason: string,
      data: Record<string, string | number | boolean | null> = {},
    ) => {
      for (const service of o.covers.length ? o.covers : [s.name]) {
        recordCheck(ctx, environment, { service, check: `restore-data:${s.name}`, ok, reason, data });
        recorded++;
      }
    };
    const namespaces = Object.keys(o.mapping);
    const from = s.namespace ?? (namespaces.length === 1 ? namespaces[0] : undefined);
    const scratch = from ? o.mapping[from] : undefined;
    if (!scratch) {
      record(
        false,
        `${s.name}: the backup of ${o.schedule} holds ${namespaces.length === 0 ? 'no namespace' : `namespaces ${namespaces.join(', ')}`}${s.namespace ? `, not ${s.namespace}` : "; name the database's namespace"}`,
      );
      continue;
    }
    if (!o.restored) {
      record(false, `${s.name} not compared: the restore drill of ${o.schedule} did not complete`);
      continue;
    }
    let live: ReturnType<typeof toConnection>['connection'];
    let copy: ReturnType<typeof toConnection>['connection'];
    try {
      live = toConnection(s.live, v.livePassword, ctx.config.rootDir).connection;
      copy = toConnection(fill(s.restored, scratch), v.restoredPassword, ctx.config.rootDir).connection;
    } catch (error) {
      record(false, `${s.name}: ${(error as Error).message}`);
      continue;
    }
    const deadline = Date.now() + s.timeoutSeconds * 1000;
    const label = `the restored ${s.name} (${copy.host}:${copy.port}/${copy.database})`;
    ctx.log(`backup: comparing ${label} with the live database`);
    for (;;) {
      const diff = await diffDatabases(live, copy, {
        statementTimeoutMs: Math.max(1000, deadline - Date.now()),
        connectTimeoutMs: 5000,
        ...(s.tables ? { tables: s.tables } : {}),
      });
      // A copy that does not answer yet may still be starting: try again until the deadline.
      if (
        diff.error &&
        NOT_YET.test(diff.error) &&
        Date.now() + o.pollMs < deadline &&
        !ctx.signal?.aborted
      ) {
        await pollPause(o.pollMs, ctx.signal);
        continue;
      }
      const j = judgeRestoredData(diff, label);
      record(j.ok, j.reason, j.data);
      break;
    }
  }
  return recorded;
}
