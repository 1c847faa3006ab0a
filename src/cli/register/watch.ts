// `cutover watch`: its name, help text and flags. The implementation, src/cli/commands/watch.ts, is
// imported only when the command runs.
import type { Command } from 'commander';
import {
  type CommandContext,
  collect,
  flagsOf,
  jsonOption,
  outputOption,
  pushOption,
  reporterOption,
} from '../command-kit.js';
import type { WatchFlags } from '../commands/watch.js';

export function registerWatch(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('watch')
    .description(
      "after cutover: read the target's traffic from Prometheus every interval, compare it with the Compose baseline, and recommend rollback after consecutive breaches",
    )
    .option('--baseline <name>', 'a recorded baseline (cutover baseline record) as the reference')
    .option('--for <duration>', 'how long to watch (default: watch.for, 24h)')
    .option('--interval <duration>', 'time between evaluations (default: watch.interval, 1m)')
    .option(
      '--rollback-after <n>',
      'consecutive breaching evaluations that recommend rollback (default: watch.failureLimit, 3)',
    )
    .option(
      '--metrics-listen <host:port>',
      "where to serve the watch's own /metrics (default: watch.metricsListen, 127.0.0.1:9470)",
    )
    .option('--no-metrics', "do not serve the watch's own /metrics")
    .option('--env <names>', 'environments (repeatable or comma-separated; default all)', collect)
    .option('-s, --service <ids>', 'services to watch (repeatable or comma-separated; default all)', collect)
    .option('--dry-run', 'print what would be watched and send nothing')
    .addOption(jsonOption())
    .addOption(reporterOption())
    .addOption(pushOption())
    .addOption(
      outputOption("folder for the watch's run folder and its reports (default: the config's reportsDir)"),
    )
    .action(async (_o, cmd: Command) => {
      const { watchCommand } = await import('../commands/watch.js');
      setExit(await watchCommand(io, flagsOf<WatchFlags>(cmd)));
    });
}
