// The real Debian `prometheus` and `prometheus-alertmanager` for tests: the product's runner
// (src/runners/monitoring-stack/), on ports from this test worker's slice, with the binaries named by
// CUTOVER_PROMETHEUS_BIN / CUTOVER_ALERTMANAGER_BIN when set.
import { readFileSync } from 'node:fs';
import {
  type MonitoringStack,
  type MonitoringStackOptions,
  startMonitoringStack as startStack,
} from '../../src/runners/monitoring-stack/index.js';
import { freePort } from './project.js';

export type {
  MonitoringStack,
  MonitoringStackOptions,
  ScrapeJob,
} from '../../src/runners/monitoring-stack/index.js';
export { WATCHDOG_SCRIPT } from '../../src/runners/monitoring-stack/index.js';

export function startMonitoringStack(options: MonitoringStackOptions = {}): Promise<MonitoringStack> {
  return startStack({
    freePort: () => freePort(),
    binaries: {
      ...(process.env.CUTOVER_PROMETHEUS_BIN ? { prometheus: process.env.CUTOVER_PROMETHEUS_BIN } : {}),
      ...(process.env.CUTOVER_ALERTMANAGER_BIN ? { alertmanager: process.env.CUTOVER_ALERTMANAGER_BIN } : {}),
    },
    ...options,
  });
}

/** Whether a process is alive: it exists and is not a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state is the first field after the command name, which is in parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
