// `cutover report`: its name, help text and flags. The implementation, src/cli/commands/report.ts,
// is imported only when the command runs: --help and the other commands never load its dependencies.
import type { Command } from 'commander';
import { type CommandContext, flagsOf, jsonOption, outputOption, reporterOption } from '../command-kit.js';
import type { ReportFlags } from '../commands/report.js';

export function registerReport(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('report')
    .description('render a recorded run again, also a partial one')
    .argument('<run>', 'run id (under reports/) or a run folder')
    .addOption(jsonOption())
    .option('-v, --verbose', 'list passing criteria too')
    .addOption(reporterOption())
    .addOption(outputOption("folder the reports are written to (default: the run's own folder)"))
    .action(async (run: string, _o, cmd: Command) => {
      const { reportCommand } = await import('../commands/report.js');
      setExit(await reportCommand(io, run, flagsOf<ReportFlags>(cmd)));
    });
}
