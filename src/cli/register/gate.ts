// `cutover gate`: its name, help text and flags. The implementation, src/cli/commands/gate.ts,
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
import type { GateFlags } from '../commands/gate.js';

export function registerGate(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('gate')
    .description('evaluate phase gates on recorded runs (and a recorded baseline), write the reports')
    .option('-p, --phase <ids>', 'gate id such as 3-rentguy, or a phase 1..5 (repeatable)', collect)
    .option('-r, --run <run>', 'run id or run folder (repeatable; default: the latest run)', repeat)
    .option('-b, --baseline <name>', 'judge against a recorded baseline (baselines/NAME.json or a path)')
    .addOption(jsonOption())
    .option('-v, --verbose', 'list passing criteria too')
    .addOption(reporterOption())
    .addOption(pushOption())
    .addOption(
      outputOption("folder for the gate's record and its reports (default: the config's reportsDir)"),
    )
    .action(async (_o, cmd: Command) => {
      const { gateCommand } = await import('../commands/gate.js');
      setExit(await gateCommand(io, flagsOf<GateFlags>(cmd)));
    });
}
