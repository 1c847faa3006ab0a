// `cutover demo`: its name, help text and flags. The implementation, src/cli/commands/demo.ts,
// is imported only when the command runs: --help and the other commands never load its dependencies.
import type { Command } from 'commander';
import {
  type CommandContext,
  collect,
  flagsOf,
  jsonOption,
  outputOption,
  pushOption,
  repeat,
  reporterOption,
} from '../command-kit.js';
import type { DemoFlags } from '../commands/demo.js';

export function registerDemo(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('demo')
    .description('start the simulated platform, run the suites on baseline and target, print the verdict')
    .option(
      '--fault <ENV:SERVICE:FAULT>',
      'inject a fault (repeatable), e.g. target:rentguy-api:down',
      repeat,
    )
    .option(
      '--suite <ids>',
      'suites to run (default: every default suite and a short performance comparison)',
      collect,
    )
    .addOption(jsonOption())
    .option('-v, --verbose', 'list passing criteria too')
    .addOption(reporterOption())
    .addOption(pushOption())
    .addOption(outputOption("folder for the run's folder and its reports (default: the config's reportsDir)"))
    .action(async (_o, cmd: Command) => {
      const { demoCommand } = await import('../commands/demo.js');
      setExit(await demoCommand(io, flagsOf<DemoFlags>(cmd)));
    });
}
