// One server of the monitoring stack (Prometheus or Alertmanager) as a child process that cannot outlive
// Cutover: it runs under a small shell that watches a pipe from this process and sends SIGTERM when the
// pipe closes — which the kernel does when this process ends, however it ends (a crash, `kill -9`, a test
// worker torn down without its hooks). stop() closes the pipe, waits, and kills the whole process group
// if the server does not stop in time.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type ServerName = 'prometheus' | 'alertmanager';

const STOP_GRACE_MS = 5000;

// Runs "$@" and kills it with SIGTERM once fd 0 — a pipe from this process — reaches end of file.
// Background jobs of a non-interactive shell read /dev/null, so the pipe is kept on fd 3 for the watcher.
export const WATCHDOG_SCRIPT = `
exec 3<&0
"$@" </dev/null &
pid=$!
echo "$pid" > "$PIDFILE"
( read -r _ <&3; kill -TERM "$pid" 2>/dev/null ) &
watcher=$!
exec 3<&-
wait "$pid"
status=$?
kill "$watcher" 2>/dev/null
exit "$status"
`;

export interface Server {
  name: ServerName;
  child: ChildProcess;
  logFile: string;
  pidFile: string;
  exited: Promise<number | null>;
}

export function launch(name: ServerName, dir: string, command: string, args: string[]): Server {
  const logFile = join(dir, `${name}.log`);
  const pidFile = join(dir, `${name}.pid`);
  writeFileSync(logFile, '');
  const child = spawn('sh', ['-c', WATCHDOG_SCRIPT, 'watchdog', command, ...args], {
    env: { ...process.env, PIDFILE: pidFile },
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group, so stop() can kill the shell, the server and the watcher together.
    detached: true,
  });
  const append = (chunk: Buffer) => {
    try {
      writeFileSync(logFile, chunk, { flag: 'a' });
    } catch {
      // Output that arrives after stop() removed the folder has nowhere to go, and is not needed.
    }
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  // A spawn error (no `sh`) must not become an unhandled 'error' event; the exit promise ends the wait.
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  // The servers are helpers of the command, not work of its own: they never keep Node's event loop alive.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr])
    (stream as unknown as { unref?: () => void } | null)?.unref?.();
  return { name, child, logFile, pidFile, exited };
}

export function readLog(server: Server): string {
  try {
    return readFileSync(server.logFile, 'utf8');
  } catch {
    return '';
  }
}

/** The server's own process id (not its wrapper shell's), once the shell has written it. */
export function serverPid(server: Server): number | undefined {
  try {
    const pid = Number(readFileSync(server.pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.stdin?.end();
  const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), STOP_GRACE_MS).unref());
  if ((await Promise.race([server.exited, timer])) === 'late') {
    try {
      process.kill(-server.child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
    await server.exited;
  }
}

/** Polls `url` until it answers 200, the server exits, or the deadline passes. */
export async function waitReady(server: Server, url: string, deadline: number): Promise<void> {
  let exited = false;
  void server.exited.then(() => (exited = true));
  let last = 'no answer yet';
  while (performance.now() < deadline) {
    if (exited)
      throw new Error(`${server.name} exited before it was ready:\n${readLog(server).slice(-2000)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      last = `${res.status} ${(await res.text()).trim().slice(0, 100)}`;
      if (res.status === 200) return;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `${server.name} was not ready at ${url} in time (last: ${last}):\n${readLog(server).slice(-2000)}`,
  );
}

/** Polls `check` until it says yes or the deadline passes; the last error is in the message. */
export async function waitFor(what: string, check: () => Promise<boolean>, deadline: number): Promise<void> {
  let last = '';
  while (performance.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      last = ` (last: ${(error as Error).message})`;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last}`);
}

export const addressInUse = (server: Server) => /address already in use/i.test(readLog(server));
