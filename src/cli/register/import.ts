// `cutover import k6`: its name, help text and flags. The implementation, src/cli/commands/import.ts,
// is imported only when the command runs: --help and the other commands never load its dependencies.
import type { Command } from 'commander';
import { type CommandContext, flagsOf, jsonOption } from '../command-kit.js';
import type { ImportK6Flags } from '../commands/import.js';

export function registerImport(program: Command, { io, setExit }: CommandContext): void {
  const command = program
    .command('import')
    .description('record results made elsewhere as a run, for `cutover gate --run` to judge');
  command
    .command('k6')
    .description(
      'a k6 result (k6 run --out json=FILE, .gz too; --summary-export; handleSummary data) as one environment of a run',
    )
    .argument('<result>', 'the k6 result file')
    .requiredOption('--env <name>', 'the environment the load ran against (baseline, target, …)')
    .option('--run <run>', 'add to this recorded run (id or folder) instead of starting a new one')
    .option('--service <id>', "the service the load was aimed at (default: the config's only one)")
    .option(
      '--scenario <name>',
      'the name its evidence is tagged with; the same on both sides to pair them',
      'k6',
    )
    .addOption(jsonOption())
    .action(async (result: string, _o, cmd: Command) => {
      const { importK6Command } = await import('../commands/import.js');
      setExit(await importK6Command(io, result, flagsOf<ImportK6Flags>(cmd)));
    });
}
