// The PostgreSQL launcher (src/runners/postgres-server/): a real server on a free loopback port with the
// caller's session defaults, a password, extra databases; nothing left behind after stop() or when the
// process that started it is killed outright (a test worker killed on a timeout).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../helpers/monitoring-stack.js';
import { sql, startPostgresServer } from '../helpers/postgres.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function eventually(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe('the PostgreSQL launcher', () => {
  it('starts a server with the given session defaults and databases, and stops it leaving nothing', async () => {
    const server = await startPostgresServer({
      settings: { TimeZone: 'America/New_York', DateStyle: 'SQL, DMY', extra_float_digits: 0 },
      databases: ['rentguy'],
    });
    const pid = server.pid();
    try {
      expect(server.connection.host).toBe('127.0.0.1');
      const { rows } = await sql(
        server.connectionTo('rentguy'),
        "SELECT current_database() AS db, current_setting('TimeZone') AS tz, current_setting('DateStyle') AS ds, current_setting('extra_float_digits') AS efd",
      );
      expect(rows[0]).toEqual({ db: 'rentguy', tz: 'America/New_York', ds: 'SQL, DMY', efd: '0' });
      // The password is required: a wrong one is refused.
      const wrong = new pg.Client({ ...server.connection, password: 'wrong' });
      await expect(wrong.connect()).rejects.toThrow(/password authentication failed/);
      await wrong.end().catch(() => {});
      expect(pid && isAlive(pid)).toBe(true);
    } finally {
      await server.stop();
    }
    expect(isAlive(pid!)).toBe(false);
    expect(existsSync(server.dir)).toBe(false);
  });

  it('leaves no server and no folder behind when the process that started it is killed', async () => {
    const script = `
      const { startPostgresServer } = await import(${JSON.stringify(join(ROOT, 'dist/src/runners/postgres-server/index.js'))});
      const s = await startPostgresServer();
      console.log(JSON.stringify({ pid: s.pid(), dir: s.dir }));
      setInterval(() => {}, 1000);
    `;
    const worker = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      worker.stdout.on('data', (c: Buffer) => {
        out += c;
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      worker.once('exit', (code) => reject(new Error(`worker exited with ${code} before starting a server`)));
    });
    const { pid, dir } = JSON.parse(line) as { pid: number; dir: string };
    expect(isAlive(pid)).toBe(true);
    worker.kill('SIGKILL');
    const gone = await eventually(() => !isAlive(pid), 15_000);
    if (!gone) process.kill(pid, 'SIGKILL');
    expect(gone).toBe(true);
    expect(await eventually(() => !existsSync(dir), 5000)).toBe(true);
  });
});
