// `cutover doctor`: its name, help text and flags. The implementation, src/cli/commands/doctor.ts,
// is imported only when the command runs: --help and the other commands never load its dependencies.
import type { Command } from 'commander';
import { type CommandContext, collect, flagsOf, jsonOption } from '../command-kit.js';
import type { DoctorFlags } from '../commands/doctor.js';

export function registerDoctor(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('doctor')
    .description("what this machine has, and whether the config's endpoints answer")
    .option('--env <names>', 'environments to probe', collect)
    .addOption(jsonOption())
    .action(async (_o, cmd: Command) => {
      const { doctorCommand } = await import('../commands/doctor.js');
      setExit(await doctorCommand(io, flagsOf<DoctorFlags>(cmd)));
    });
}
