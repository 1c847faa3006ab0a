// A PostgreSQL server as a child process that cannot outlive Cutover. Like the monitoring stack's servers
// (../monitoring-stack/process.ts) it runs under a small shell that watches a pipe from this process; when
// the pipe closes — stop(), or the kernel closing it because this process died however it died — the
// shell asks PostgreSQL for a *fast* shutdown (SIGINT: SIGTERM is PostgreSQL's "smart" shutdown, which
// waits for every client to disconnect) and then removes the server's temporary folder.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const STOP_GRACE_MS = 10_000;

// Runs "$@" and sends SIGINT once fd 0 — a pipe from this process — reaches end of file; removes $CLEANUP
// after the server has exited. Background jobs of a non-interactive shell read /dev/null, so the pipe is
// kept on fd 3 for the watcher.
export const POSTGRES_WATCHDOG_SCRIPT = `
exec 3<&0
"$@" </dev/null &
pid=$!
echo "$pid" > "$PIDFILE"
( read -r _ <&3; kill -INT "$pid" 2>/dev/null ) &
watcher=$!
exec 3<&-
wait "$pid"
status=$?
kill "$watcher" 2>/dev/null
[ -n "$CLEANUP" ] && rm -rf "$CLEANUP"
exit "$status"
`;

export interface ServerProcess {
  child: ChildProcess;
  logFile: string;
  pidFile: string;
  exited: Promise<number | null>;
}

export interface LaunchOptions {
  command: string;
  args: string[];
  logFile: string;
  pidFile: string;
  /** Removed by the watchdog once the server has exited. */
  cleanup: string;
  /** Run as this user (PostgreSQL refuses root). */
  user?: { uid: number; gid: number };
}

export function launchServer(options: LaunchOptions): ServerProcess {
  writeFileSync(options.logFile, '');
  const child = spawn('sh', ['-c', POSTGRES_WATCHDOG_SCRIPT, 'watchdog', options.command, ...options.args], {
    env: { ...process.env, PIDFILE: options.pidFile, CLEANUP: options.cleanup, LC_ALL: 'C' },
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group, so stop() can kill the shell, the server and the watcher together.
    detached: true,
    ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
  });
  const append = (chunk: Buffer) => {
    try {
      writeFileSync(options.logFile, chunk, { flag: 'a' });
    } catch {
      // Output that arrives after the folder was removed has nowhere to go, and is not needed.
    }
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  // A helper of the command, not work of its own: it never keeps Node's event loop alive.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr])
    (stream as unknown as { unref?: () => void } | null)?.unref?.();
  return { child, logFile: options.logFile, pidFile: options.pidFile, exited };
}

export function readServerLog(server: ServerProcess): string {
  try {
    return readFileSync(server.logFile, 'utf8');
  } catch {
    return '';
  }
}

/** The postmaster's own process id (not its wrapper shell's), once the shell has written it. */
export function postmasterPid(server: ServerProcess): number | undefined {
  try {
    const pid = Number(readFileSync(server.pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export async function stopServerProcess(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  // Waiting for the server to go is work of the caller's: keep the event loop alive until it has.
  server.child.ref();
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
