// A logical backup and its restore, with PostgreSQL's own tools: pg_dump in the custom format (one
// consistent snapshot of one database, even while it is written to), a scratch database created for the
// restore, pg_restore into it (--exit-on-error: a restore that half works is a failed restore), and the
// scratch database dropped afterwards. The password goes to the tools through PGPASSWORD, never on a
// command line; every step has a deadline; a failure comes back as words with the tool's own message.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { findBinary } from '../monitoring-stack/stack.js';
import type { DatabaseConnection } from './session.js';

export type PgTool = 'pg_dump' | 'pg_restore';

/**
 * Where a PostgreSQL client tool is: in `binDir` when given, else $CUTOVER_PG_BIN, else the newest
 * /usr/lib/postgresql/N/bin that has it (Debian keeps versioned tools there), else PATH.
 */
export function findPgTool(
  tool: PgTool,
  binDir: string | undefined = process.env.CUTOVER_PG_BIN,
  path: string | undefined = process.env.PATH,
): string | undefined {
  if (binDir) return findBinary(join(binDir, tool), undefined);
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const found = findBinary(join(root, v, 'bin', tool), undefined);
      if (found) return found;
    }
  }
  return findBinary(tool, path);
}

/** libpq's environment for a connection: the password and TLS mode never appear in arguments. */
function libpqEnv(c: DatabaseConnection, sslRootCert?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PGCONNECT_TIMEOUT: '10' };
  if (sslRootCert) env.PGSSLROOTCERT = sslRootCert;
  if (c.password !== undefined) env.PGPASSWORD = c.password;
  if (c.ssl === true) env.PGSSLMODE = 'verify-full';
  else if (typeof c.ssl === 'object')
    env.PGSSLMODE = c.ssl.rejectUnauthorized === false ? 'require' : 'verify-full';
  else env.PGSSLMODE = 'disable';
  return env;
}

const target = (c: DatabaseConnection) => ['-h', c.host, '-p', String(c.port), '-U', c.user];

export type StepResult = { ok: true; ms: number } | { ok: false; reason: string };

function runTool(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<StepResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 8000) stderr += d.toString('utf8');
    });
    const stop = () => child.kill('SIGTERM');
    const timer = setTimeout(stop, timeoutMs);
    signal?.addEventListener('abort', stop, { once: true });
    const tool = command.slice(command.lastIndexOf('/') + 1);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: `${tool} could not start: ${e.message}` });
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
      if (code === 0) return resolve({ ok: true, ms: performance.now() - started });
      const said = stderr
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .slice(0, 3)
        .join(' ');
      resolve({
        ok: false,
        reason: sig
          ? `${tool} did not finish within ${Math.round(timeoutMs / 1000)} s`
          : `${tool} failed (exit ${code})${said ? `: ${said}` : ''}`,
      });
    });
  });
}

export interface ToolOptions {
  binDir?: string;
  /** The CA file libpq verifies the server with (the connection's `ssl.ca` is its text, for node). */
  sslRootCert?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** `pg_dump --format=custom` of the connection's database into `file`; its size comes back with it. */
export async function dumpDatabase(
  c: DatabaseConnection,
  file: string,
  o: ToolOptions,
): Promise<StepResult & { bytes?: number }> {
  const tool = findPgTool('pg_dump', o.binDir);
  if (!tool)
    return {
      ok: false,
      reason: 'pg_dump was not found (install the PostgreSQL client, or set CUTOVER_PG_BIN)',
    };
  const r = await runTool(
    tool,
    [...target(c), '--format=custom', '--no-password', '--file', file, '--dbname', c.database],
    libpqEnv(c, o.sslRootCert),
    o.timeoutMs,
    o.signal,
  );
  return r.ok ? { ...r, bytes: statSync(file).size } : r;
}

/** `pg_restore` of a custom-format dump into an existing (empty) database, stopping at the first error. */
export async function restoreDump(c: DatabaseConnection, file: string, o: ToolOptions): Promise<StepResult> {
  const tool = findPgTool('pg_restore', o.binDir);
  if (!tool)
    return {
      ok: false,
      reason: 'pg_restore was not found (install the PostgreSQL client, or set CUTOVER_PG_BIN)',
    };
  return runTool(
    tool,
    [
      ...target(c),
      '--no-owner',
      '--no-privileges',
      '--exit-on-error',
      '--no-password',
      '--dbname',
      c.database,
      file,
    ],
    libpqEnv(c, o.sslRootCert),
    o.timeoutMs,
    o.signal,
  );
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function admin<T>(c: DatabaseConnection, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    host: c.host,
    port: c.port,
    user: c.user,
    database: c.database,
    connectionTimeoutMillis: 10_000,
    ...(c.password !== undefined ? { password: c.password } : {}),
    ...(c.ssl ? { ssl: c.ssl } : {}),
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Creates the scratch database a restore goes into, through the connection's own database. It must not
 * exist: a database of that name is never dropped on a guess (it may be someone's), it is refused.
 */
export async function createScratchDatabase(c: DatabaseConnection, name: string): Promise<StepResult> {
  const started = performance.now();
  try {
    return await admin(c, async (client) => {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount)
        return {
          ok: false as const,
          reason: `scratch database ${name} already exists (an earlier drill not cleaned up?); drop it or name another`,
        };
      await client.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0`);
      return { ok: true as const, ms: performance.now() - started };
    });
  } catch (error) {
    return { ok: false, reason: `could not create scratch database ${name}: ${(error as Error).message}` };
  }
}

/** Drops a scratch database this drill created (its connections first). */
export async function dropScratchDatabase(c: DatabaseConnection, name: string): Promise<StepResult> {
  const started = performance.now();
  try {
    await admin(c, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
    return { ok: true, ms: performance.now() - started };
  } catch (error) {
    return { ok: false, reason: `could not drop scratch database ${name}: ${(error as Error).message}` };
  }
}
