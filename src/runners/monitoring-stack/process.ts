// One server of the monitoring stack (Prometheus or Alertmanager), supervised so it cannot outlive Cutover
// (../system/supervised-process.ts: SIGTERM when this process ends), and waiting for it to be ready.
import { join } from 'node:path';
import {
  launchSupervised,
  readProcessLog,
  type SupervisedProcess,
  stopSupervised,
  supervisedPid,
} from '../system/supervised-process.js';

export { WATCHDOG_SCRIPT } from '../system/supervised-process.js';

export type ServerName = 'prometheus' | 'alertmanager';

const STOP_GRACE_MS = 5000;

export interface Server extends SupervisedProcess {
  name: ServerName;
}

export function launch(name: ServerName, dir: string, command: string, args: string[]): Server {
  const logFile = join(dir, `${name}.log`);
  const pidFile = join(dir, `${name}.pid`);
  return { name, ...launchSupervised({ command, args, logFile, pidFile }) };
}

export const readLog = (server: Server): string => readProcessLog(server);

/** The server's own process id (not its wrapper shell's), once the shell has written it. */
export const serverPid = (server: Server): number | undefined => supervisedPid(server);

export const stopServer = (server: Server): Promise<void> => stopSupervised(server, STOP_GRACE_MS);

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
