// `cutover data`: its name, help text and flags. The implementation, src/cli/commands/data.ts, is imported
// only when the command runs: --help and the other commands never load its dependencies (pg).
import type { Command } from 'commander';
import { type CommandContext, collect, flagsOf, jsonOption } from '../command-kit.js';
import type { DataDiffFlags } from '../commands/data.js';

export function registerData(program: Command, { io, setExit }: CommandContext): void {
  const data = program.command('data').description('data parity of the PostgreSQL databases (config `data`)');
  data
    .command('diff')
    .description(
      'compare each database of the config between baseline and target: schema, counts, checksums, rows (read-only)',
    )
    .option('-t, --table <names>', 'only these tables, schema.table or table (repeatable)', collect)
    .option('-d, --database <ids>', 'only these databases of the config (repeatable)', collect)
    .addOption(jsonOption())
    .action(async (_o, cmd: Command) => {
      const { dataDiffCommand } = await import('../commands/data.js');
      setExit(await dataDiffCommand(io, flagsOf<DataDiffFlags>(cmd)));
    });
}
