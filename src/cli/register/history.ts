// `cutover history`: its name, help text and flags. The implementation, src/cli/commands/history.ts,
// is imported only when the command runs: --help and the other commands never load its dependencies.
import type { Command } from 'commander';
import { type CommandContext, flagsOf, jsonOption } from '../command-kit.js';
import type { HistoryFlags } from '../commands/history.js';

export function registerHistory(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('history')
    .description('list past runs with their verdicts and key figures')
    .option('--limit <n>', 'how many runs (default 20)')
    .addOption(jsonOption())
    .action(async (_o, cmd: Command) => {
      const { historyCommand } = await import('../commands/history.js');
      setExit(await historyCommand(io, flagsOf<HistoryFlags>(cmd)));
    });
}
