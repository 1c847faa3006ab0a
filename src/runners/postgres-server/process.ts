// A PostgreSQL server supervised so it cannot outlive Cutover (../system/supervised-process.ts): when the
// pipe from this process closes — stop(), or the kernel closing it because this process died however it
// died — the watchdog asks PostgreSQL for a *fast* shutdown (SIGINT: SIGTERM is PostgreSQL's "smart"
// shutdown, which waits for every client to disconnect) and then removes the server's temporary folder.
import {
  launchSupervised,
  readProcessLog,
  type SupervisedProcess,
  stopSupervised,
  supervisedPid,
} from '../system/supervised-process.js';

export { WATCHDOG_SCRIPT as POSTGRES_WATCHDOG_SCRIPT } from '../system/supervised-process.js';

const STOP_GRACE_MS = 10_000;

export type ServerProcess = SupervisedProcess;

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
  return launchSupervised({ ...options, stopSignal: 'INT', env: { LC_ALL: 'C' } });
}

export const readServerLog = (server: ServerProcess): string => readProcessLog(server);

/** The postmaster's own process id (not its wrapper shell's), once the shell has written it. */
export const postmasterPid = (server: ServerProcess): number | undefined => supervisedPid(server);

export const stopServerProcess = (server: ServerProcess): Promise<void> =>
  stopSupervised(server, STOP_GRACE_MS);
