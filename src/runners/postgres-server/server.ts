// Real local PostgreSQL servers for `cutover demo`, the simulator and the tests: each one initialised
// (initdb) in its own temporary folder and started on a free loopback port, with a superuser and password
// of its own, and session defaults of the caller's choosing (TimeZone, DateStyle, extra_float_digits, …) so
// that two servers can differ on purpose. PostgreSQL refuses to run as root: as root, initdb and the server
// run as the `postgres` system user (Debian's package creates it), in a folder that user owns. Every wait
// has a deadline; stop() — or this process dying — stops the server and removes its folder (process.ts).
//
//   const pg = await startPostgresServer({ settings: { TimeZone: 'Europe/Amsterdam' } });
//   pg.connection  // { host, port, user, password, database }
//   await pg.stop();
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findBinary, freeLoopbackPort } from '../monitoring-stack/stack.js';
import {
  launchServer,
  postmasterPid,
  readServerLog,
  type ServerProcess,
  stopServerProcess,
} from './process.js';

export interface PostgresConnection {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export interface PostgresServerOptions {
  /** Server settings (`-c name=value`), e.g. the session defaults TimeZone, DateStyle, extra_float_digits. */
  settings?: Record<string, string | number>;
  /** The superuser's name. @default "postgres" */
  user?: string;
  /** The superuser's password. @default a random one */
  password?: string;
  /** Databases to create besides `postgres`. */
  databases?: string[];
  /** The folder holding initdb and postgres; else $CUTOVER_PG_BIN, PATH, or the newest /usr/lib/postgresql/N/bin. */
  binDir?: string;
  /** Deadline for initdb and start-up. @default 30000 */
  startTimeoutMs?: number;
  /** A free loopback port; a port taken between the check and the bind is tried again. */
  freePort?: () => Promise<number>;
}

export interface PostgresServer {
  /** Connection settings of the superuser to the `postgres` database. */
  connection: PostgresConnection;
  /** The same, for another database of this server. */
  connectionTo(database: string): PostgresConnection;
  /** The folder holding initdb, psql, pg_dump… of this server's version. */
  binDir: string;
  dir: string;
  /** The postmaster's process id, for tests that check nothing is left behind. */
  pid(): number | undefined;
  log(): string;
  stop(): Promise<void>;
}

const SERVER_BINARIES = ['initdb', 'postgres'];

/** The folder with PostgreSQL's server binaries, or undefined (checked before anything is started). */
export function findPostgresBinDir(
  binDir: string | undefined = process.env.CUTOVER_PG_BIN,
  path: string | undefined = process.env.PATH,
): string | undefined {
  const has = (dir: string) => SERVER_BINARIES.every((b) => findBinary(join(dir, b), undefined));
  if (binDir) return has(binDir) ? binDir : undefined;
  const initdb = findBinary('initdb', path);
  if (initdb) {
    const dir = initdb.slice(0, initdb.lastIndexOf('/'));
    if (has(dir)) return dir;
  }
  // Debian keeps the server binaries off PATH, one folder per major version.
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (has(join(root, v, 'bin'))) return join(root, v, 'bin');
  return undefined;
}

/** Why no server can be started here, in words for a message; undefined when one can. */
export function postgresUnavailable(binDir?: string): string | undefined {
  if (!findPostgresBinDir(binDir))
    return "PostgreSQL's server binaries (initdb, postgres) were not found: install Debian's `postgresql` (scripts/install-system-packages.sh) or set CUTOVER_PG_BIN to their folder";
  if (process.getuid?.() === 0 && !systemUser('postgres'))
    return "running as root, and PostgreSQL refuses root: the `postgres` system user is missing (Debian's `postgresql` package creates it)";
  return undefined;
}

function systemUser(name: string): { uid: number; gid: number } | undefined {
  try {
    const passwd = readFileSync('/etc/passwd', 'utf8');
    const line = passwd.split('\n').find((l) => l.startsWith(`${name}:`));
    if (!line) return undefined;
    const [, , uid, gid] = line.split(':');
    return { uid: Number(uid), gid: Number(gid) };
  } catch {
    return undefined;
  }
}

/** Runs a command to its end (as `user` when given), with a deadline; rejects with its output on failure. */
function runToEnd(
  command: string,
  args: string[],
  user: { uid: number; gid: number } | undefined,
  deadline: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c));
    child.stderr.on('data', (c: Buffer) => (output += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), Math.max(0, deadline - performance.now()));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `${command} ${signal ? `was killed (${signal}, deadline passed)` : `exited with ${code}`}:\n${output.slice(-2000)}`,
          ),
        );
    });
  });
}

async function waitConnectable(
  server: ServerProcess,
  connection: PostgresConnection,
  deadline: number,
): Promise<void> {
  let exited = false;
  void server.exited.then(() => (exited = true));
  let last = 'no answer yet';
  while (performance.now() < deadline) {
    if (exited)
      throw new Error(`postgres exited before it was ready:\n${readServerLog(server).slice(-2000)}`);
    const client = new pg.Client({ ...connection, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (error) {
      last = (error as Error).message;
      await client.end().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`postgres was not ready in time (last: ${last}):\n${readServerLog(server).slice(-2000)}`);
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function startPostgresServer(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  const reason = postgresUnavailable(options.binDir);
  if (reason) throw new Error(reason);
  const binDir = findPostgresBinDir(options.binDir)!;
  const deadline = performance.now() + (options.startTimeoutMs ?? 30_000);
  const freePort = options.freePort ?? freeLoopbackPort;
  const asUser = process.getuid?.() === 0 ? systemUser('postgres') : undefined;
  const superuser = options.user ?? 'postgres';
  const password = options.password ?? randomBytes(12).toString('hex');

  const dir = mkdtempSync(join(tmpdir(), 'cutover-pg-'));
  const dataDir = join(dir, 'data');
  const pwFile = join(dir, 'pw');
  let server: ServerProcess | undefined;
  const stop = async () => {
    if (server) await stopServerProcess(server);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
    if (asUser) {
      chownSync(dir, asUser.uid, asUser.gid);
      chownSync(pwFile, asUser.uid, asUser.gid);
    }
    // C locale: text keys sort by bytes on every server, whatever the machine's locales.
    await runToEnd(
      join(binDir, 'initdb'),
      [
        `--pgdata=${dataDir}`,
        `--username=${superuser}`,
        `--pwfile=${pwFile}`,
        '--auth-host=scram-sha-256',
        '--auth-local=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
      ],
      asUser,
      deadline,
    );
    rmSync(pwFile, { force: true });

    let connection: PostgresConnection | undefined;
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      connection = { host: '127.0.0.1', port, user: superuser, password, database: 'postgres' };
      const settings: Record<string, string | number> = {
        listen_addresses: '127.0.0.1',
        port,
        unix_socket_directories: dir,
        // A throwaway server: durability buys nothing and costs seconds.
        fsync: 'off',
        synchronous_commit: 'off',
        full_page_writes: 'off',
        ...options.settings,
      };
      const args = [`-D`, dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
      server = launchServer({
        command: join(binDir, 'postgres'),
        args,
        logFile: join(dir, 'postgres.log'),
        pidFile: join(dir, 'postgres.pid'),
        cleanup: dir,
        ...(asUser ? { user: asUser } : {}),
      });
      try {
        await waitConnectable(server, connection, deadline);
        break;
      } catch (error) {
        const log = readServerLog(server);
        await stopServerProcess(server);
        server = undefined;
        if (attempt < 3 && /address already in use|could not bind/i.test(log)) continue;
        throw error;
      }
    }
    const running = server;
    const ready = connection;
    if (options.databases?.length) {
      const client = new pg.Client(ready);
      await client.connect();
      try {
        for (const db of options.databases) await client.query(`CREATE DATABASE ${quoteIdent(db)}`);
      } finally {
        await client.end();
      }
    }
    return {
      connection: ready,
      connectionTo: (database) => ({ ...ready, database }),
      binDir,
      dir,
      pid: () => postmasterPid(running),
      log: () => readServerLog(running),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Runs SQL (several statements allowed) on one connection: seeding and set-up, not comparison. */
export async function runSql(connection: PostgresConnection, text: string): Promise<void> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
