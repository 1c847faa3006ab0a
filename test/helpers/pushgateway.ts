// Debian's real Pushgateway (binary prometheus-pushgateway, or CUTOVER_PUSHGATEWAY_BIN) for tests: on a
// free loopback port, its persistence file in a temporary folder, supervised by the product's own
// mechanism (src/runners/system/supervised-process.ts) so it cannot outlive the test worker.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary } from '../../src/runners/monitoring-stack/stack.js';
import {
  launchSupervised,
  readProcessLog,
  stopSupervised,
} from '../../src/runners/system/supervised-process.js';
import { freePort } from './project.js';

export const PUSHGATEWAY_BIN = process.env.CUTOVER_PUSHGATEWAY_BIN ?? 'prometheus-pushgateway';

/**
 * Why Pushgateway tests cannot run here, or undefined when they can. Missing in CI is a failure, not a
 * skip: CI installs it with scripts/install-system-packages.sh, and a test that silently skips there
 * proves nothing.
 */
export function pushgatewayMissing(): string | undefined {
  if (findBinary(PUSHGATEWAY_BIN, process.env.PATH) || process.env.CI) return undefined;
  return `${PUSHGATEWAY_BIN} is not installed (bash scripts/install-system-packages.sh installs Debian's prometheus-pushgateway)`;
}

export interface RunningPushgateway {
  url: string;
  host: string;
  stop(): Promise<void>;
}

export async function startPushgateway(): Promise<RunningPushgateway> {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-pushgateway-'));
  const port = await freePort();
  const server = launchSupervised({
    command: PUSHGATEWAY_BIN,
    args: [`--web.listen-address=127.0.0.1:${port}`, `--persistence.file=${join(dir, 'pushgateway.data')}`],
    logFile: join(dir, 'pushgateway.log'),
    pidFile: join(dir, 'pushgateway.pid'),
    cleanup: dir,
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = performance.now() + 15_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) })).ok) break;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) {
      const log = readProcessLog(server);
      await stopSupervised(server, 3000);
      throw new Error(`the Pushgateway was not ready at ${url}:\n${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, host: `127.0.0.1:${port}`, stop: () => stopSupervised(server, 3000) };
}
