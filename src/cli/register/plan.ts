// `cutover plan`: its name, help text and flags. The implementation, src/cli/commands/plan.ts,
// is imported only when the command runs: --help and the other commands never load its dependencies.
import type { Command } from 'commander';
import { type CommandContext, collect, flagsOf, jsonOption } from '../command-kit.js';
import type { PlanFlags } from '../commands/plan.js';

export function registerPlan(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('plan')
    .description("how many requests a gate's relative criteria need, from a recorded baseline's spread")
    .option('-g, --gate <ids>', 'gate id or phase (repeatable)', collect)
    .option('-b, --baseline <name>', 'recorded baseline (default: the baseline side of the latest run)')
    .option('-r, --run <run>', 'plan from this run instead')
    .option('--power <p>', 'wanted chance of GO when nothing changed (default 0.9)')
    .addOption(jsonOption())
    .action(async (_o, cmd: Command) => {
      const { planCommand } = await import('../commands/plan.js');
      setExit(await planCommand(io, flagsOf<PlanFlags>(cmd)));
    });
}
