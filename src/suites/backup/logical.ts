// The logical drill of one database outside Velero: pg_dump of the live database (custom format, one
// consistent snapshot), a scratch database on the same server, pg_restore into it (stopping at the first
// error), then the data diff between the live database and the restored copy — schema, exact counts,
// checksums, rows — and the scratch database dropped. Any step that fails fails the drill with that
// step's words; the dump file lives in a private temporary folder removed afterwards.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { judgeRestoredData } from '../../core/backup/restored-data.js';
import type { DatabaseConnection } from '../../runners/postgres/session.js';
import { connectionOf } from '../data/plan.js';
import type { SuiteContext } from '../suite.js';
import type { DatabaseConnectionSettings, LogicalDrillSettings } from './define.js';
import { recordCheck } from './evidence.js';

type Data = Record<string, string | number | boolean | null>;

/**
 * The connection node-postgres and the data diff use, from the config's settings (the data suite's
 * connectionOf, with the password already read), and the CA file's path for libpq's tools. Throws when
 * the CA file cannot be read.
 */
export function toConnection(
  c: DatabaseConnectionSettings,
  password: string | undefined,
  rootDir: string,
): { connection: DatabaseConnection; caFile?: string } {
  const at = (file: string) => (isAbsolute(file) ? file : resolve(rootDir, file));
  const planned = connectionOf({ ...c, passwordEnv: undefined }, {}, (file) =>
    readFileSync(at(file), 'utf8'),
  );
  if (typeof planned === 'string') throw new Error(planned);
  const caFile = c.tls.mode !== 'disable' && c.tls.caFile ? at(c.tls.caFile) : undefined;
  return {
    connection: { ...planned, ...(password !== undefined ? { password } : {}) },
    ...(caFile ? { caFile } : {}),
  };
}

export interface LogicalDrillOutcome {
  ok: boolean;
  reason: string;
  data: Data;
}

/** Runs one logical drill; never throws (a step that fails is the outcome's reason). */
export async function logicalDrill(
  ctx: SuiteContext,
  drill: LogicalDrillSettings,
  password: string | undefined,
): Promise<LogicalDrillOutcome> {
  const { dumpDatabase, restoreDump, createScratchDatabase, dropScratchDatabase } = await import(
    '../../runners/postgres/dump-restore.js'
  );
  const { diffDatabases } = await import('../../runners/postgres/diff.js');
  const timeoutMs = drill.timeoutSeconds * 1000;
  let opened: ReturnType<typeof toConnection>;
  try {
    opened = toConnection(drill.connection, password, ctx.config.rootDir);
  } catch (error) {
    return { ok: false, reason: `logical drill of ${drill.name}: ${(error as Error).message}`, data: {} };
  }
  const live = opened.connection;
  const scratchName = drill.scratchDatabase ?? `cutover_drill_${live.database}`.slice(0, 63);
  const scratch = { ...live, database: scratchName };
  const tools = {
    timeoutMs,
    ...(drill.pgBin ? { binDir: resolve(ctx.config.rootDir, drill.pgBin) } : {}),
    ...(opened.caFile ? { sslRootCert: opened.caFile } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
  const dir = mkdtempSync(join(tmpdir(), 'cutover-dump-'));
  const file = join(dir, `${live.database}.dump`);
  const of = `${live.user}@${live.host}:${live.port}/${live.database}`;
  const data: Data = { database: of, scratch: scratchName };
  let created = false;
  try {
    ctx.log(`backup: pg_dump of ${of}`);
    const dumped = await dumpDatabase(live, file, tools);
    if (!dumped.ok) return { ok: false, reason: `pg_dump of ${of}: ${dumped.reason}`, data };
    data.dumpBytes = dumped.bytes ?? null;
    data.dumpSeconds = Math.round(dumped.ms / 100) / 10;
    const made = await createScratchDatabase(live, scratchName);
    if (!made.ok) return { ok: false, reason: `logical drill of ${drill.name}: ${made.reason}`, data };
    created = true;
    ctx.log(`backup: pg_restore into ${scratchName}`);
    const restored = await restoreDump(scratch, file, tools);
    if (!restored.ok)
      return { ok: false, reason: `the dump of ${of} does not restore: ${restored.reason}`, data };
    data.restoreSeconds = Math.round(restored.ms / 100) / 10;
    const diff = await diffDatabases(live, scratch, {
      statementTimeoutMs: timeoutMs,
      ...(drill.tables ? { tables: drill.tables } : {}),
    });
    const judged = judgeRestoredData(diff, `the restore of ${of} (${scratchName})`);
    const sizeText =
      dumped.bytes === undefined ? '' : `, dump ${Math.max(1, Math.round(dumped.bytes / 1024))} KiB`;
    return {
      ok: judged.ok,
      reason: judged.ok ? `${judged.reason}${sizeText}` : judged.reason,
      data: { ...data, ...judged.data },
    };
  } finally {
    if (created) {
      const dropped = await dropScratchDatabase(live, scratchName);
      if (!dropped.ok) ctx.log(`backup: ${dropped.reason}`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The logical drills of one environment, each recorded for every service its database covers. */
export async function runLogicalDrills(
  ctx: SuiteContext,
  environment: string,
  drills: readonly { drill: LogicalDrillSettings; password?: string }[],
): Promise<void> {
  for (const { drill, password } of drills) {
    if (ctx.signal?.aborted) return;
    const outcome = await logicalDrill(ctx, drill, password);
    for (const service of drill.covers.length ? drill.covers : [drill.name])
      recordCheck(ctx, environment, {
        service,
        check: `logical-drill:${drill.name}`,
        ok: outcome.ok,
        reason: outcome.reason,
        data: outcome.data,
      });
  }
}
