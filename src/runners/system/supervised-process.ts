// A server Cutover starts (Prometheus, Alertmanager, PostgreSQL) as a child process that cannot outlive
// Cutover: it runs under a small shell that watches a pipe from this process and signals the server when
// the pipe closes — which the kernel does when this process ends, however it ends (a crash, `kill -9`, a
// test worker torn down without its hooks) — then removes the server's temporary folder if asked to.
// stop() closes the pipe, waits, and kills the whole process group if the server does not stop in time.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

// Runs "$@" and sends it SIG$STOPSIGNAL (TERM unless set) once fd 0 — a pipe from this process — reaches
// end of file; removes $CLEANUP, when set, after the server has exited. Background jobs of a
// non-interactive shell read /dev/null, so the pipe is kept on fd 3 for the watcher.
export const WATCHDOG_SCRIPT = `
exec 3<&0
"$@" </dev/null &
pid=$!
echo "$pid" > "$PIDFILE"
( read -r _ <&3; kill -"\${STOPSIGNAL:-TERM}" "$pid" 2>/dev/null ) &
watcher=$!
exec 3<&-
wait "$pid"
status=$?
kill "$watcher" 2>/dev/null
[ -n "$CLEANUP" ] && rm -rf "$CLEANUP"
exit "$status"
`;

export interface SupervisedProcess {
  child: ChildProcess;
  logFile: string;
  pidFile: string;
  exited: Promise<number | null>;
}

export interface SuperviseOptions {
  command: string;
  args: readonly string[];
  /** The server's stdout and stderr, appended. */
  logFile: string;
  /** Where the shell writes the server's own process id. */
  pidFile: string;
  /** The signal that asks the server to stop. @default "TERM" */
  stopSignal?: 'TERM' | 'INT';
  /** A folder the watchdog removes once the server has exited. */
  cleanup?: string;
  /** Run as this user (PostgreSQL refuses root). */
  user?: { uid: number; gid: number };
  env?: Readonly<Record<string, string>>;
}

export function launchSupervised(o: SuperviseOptions): SupervisedProcess {
  writeFileSync(o.logFile, '');
  const child = spawn('sh', ['-c', WATCHDOG_SCRIPT, 'watchdog', o.command, ...o.args], {
    env: {
      ...process.env,
      ...o.env,
      PIDFILE: o.pidFile,
      STOPSIGNAL: o.stopSignal ?? 'TERM',
      ...(o.cleanup ? { CLEANUP: o.cleanup } : {}),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group, so stop() can kill the shell, the server and the watcher together.
    detached: true,
    ...(o.user ? { uid: o.user.uid, gid: o.user.gid } : {}),
  });
  const append = (chunk: Buffer) => {
    try {
      writeFileSync(o.logFile, chunk, { flag: 'a' });
    } catch {
      // Output that arrives after the folder was removed has nowhere to go, and is not needed.
    }
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  // A spawn error (no `sh`) must not become an unhandled 'error' event; the exit promise ends the wait.
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  // A helper of the command, not work of its own: it never keeps Node's event loop alive.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr])
    (stream as unknown as { unref?: () => void } | null)?.unref?.();
  return { child, logFile: o.logFile, pidFile: o.pidFile, exited };
}

export function readProcessLog(p: SupervisedProcess): string {
  try {
    return readFileSync(p.logFile, 'utf8');
  } catch {
    return '';
  }
}

/** The server's own process id (not its wrapper shell's), once the shell has written it. */
export function supervisedPid(p: SupervisedProcess): number | undefined {
  try {
    const pid = Number(readFileSync(p.pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Asks the server to stop (closes the pipe); after `graceMs` kills its whole process group. */
export async function stopSupervised(p: SupervisedProcess, graceMs: number): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  // Waiting for the server to go is work of the caller's: keep the event loop alive until it has.
  p.child.ref();
  p.child.stdin?.end();
  const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), graceMs).unref());
  if ((await Promise.race([p.exited, timer])) === 'late') {
    try {
      process.kill(-p.child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
    await p.exited;
  }
}
