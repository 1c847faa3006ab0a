// `cutover sim`: its name, help text and flags. The implementation, src/cli/commands/sim.ts,
// is imported only when the command runs: --help and the other commands never load its dependencies.
import type { Command } from 'commander';
import { type CommandContext, collect, flagsOf, repeat } from '../command-kit.js';
import type { SimFlags } from '../commands/sim.js';

export function registerSim(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('sim')
    .description('start the simulated platform until Ctrl-C')
    .option('--fault <ENV:SERVICE:FAULT>', 'inject a fault (repeatable)', repeat)
    .option('--env <names>', 'environments to simulate (default: all)', collect)
    .action(async (_o, cmd: Command) => {
      const { simCommand } = await import('../commands/sim.js');
      setExit(await simCommand(io, flagsOf<SimFlags>(cmd)));
    });
}
