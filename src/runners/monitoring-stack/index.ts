// The real Prometheus and Alertmanager on loopback, for `cutover demo` and the tests: see stack.ts.

export { WATCHDOG_SCRIPT } from './process.js';
export {
  DEFAULT_BINARIES,
  findBinary,
  freeLoopbackPort,
  type MonitoringStack,
  type MonitoringStackOptions,
  missingBinaries,
  type ScrapeJob,
  startMonitoringStack,
} from './stack.js';
