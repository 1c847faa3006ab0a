// Preloaded by bench/startup.mjs into each CLI process it measures: at exit, the process's own CPU time
// (user and system, all threads) goes to file descriptor 3, which the benchmark opened as a pipe. The
// CLI's stdout and stderr stay untouched, so the command behaves exactly as it does without the probe.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(3, JSON.stringify(process.cpuUsage()));
});
