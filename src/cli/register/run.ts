// `cutover run`: its name, help text and flags. The implementation, src/cli/commands/run.ts,
// is imported only when the command runs: --help and the other commands never load its dependencies.
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
import type { RunFlags } from '../commands/run.js';

export function registerRun(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('run')
    .description('run the suites against the configured environments and evaluate the gates')
    .option('--env <names>', 'environments to run (repeatable or comma-separated)', collect)
    .option('-s, --service <ids>', 'services to run (repeatable or comma-separated)', collect)
    .option('--suite <ids>', 'suites to run (default: every default suite)', collect)
    .option(
      '-g, --gate <ids>',
      'judge the run by these gates (id such as 3-rentguy, a phase 1..5, smoke or performance); default: the gates its suites serve',
      collect,
    )
    .option(
      '--noise-from <baseline>',
      'start from the integration noise a recorded baseline learned (baselines/NAME.json or a path)',
    )
    .addOption(jsonOption())
    .option('-v, --verbose', 'list passing criteria too')
    .addOption(reporterOption())
    .addOption(pushOption())
    .addOption(outputOption("folder for the run's folder and its reports (default: the config's reportsDir)"))
    .action(async (_o, cmd: Command) => {
      const { runCommand } = await import('../commands/run.js');
      setExit(await runCommand(io, flagsOf<RunFlags>(cmd)));
    });
}
