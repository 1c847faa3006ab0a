// `cutover k6`: its name, help text and flags. The implementation, src/cli/commands/k6.ts,
// is imported only when the command runs: --help and the other commands never load its dependencies.
import type { Command } from 'commander';
import { type CommandContext, collect, flagsOf, jsonOption, repeat } from '../command-kit.js';
import type { K6BuildFlags } from '../commands/k6.js';

export function registerK6(program: Command, { io, setExit }: CommandContext): void {
  const k6 = program.command('k6').description('k6 scripts from the performance scenarios');
  k6.command('build')
    .description('bundle each performance scenario into a k6 script (ESM, k6 modules external)')
    .option('--out <dir>', 'output directory', 'k6-scripts')
    .option('--scenario <names>', 'scenarios to build (default all)', collect)
    .option('--scenario-file <file>', 'an extra scenario module, repeatable', repeat)
    .addOption(jsonOption())
    .action(async (_o, cmd: Command) => {
      const { k6BuildCommand } = await import('../commands/k6.js');
      setExit(await k6BuildCommand(io, flagsOf<K6BuildFlags>(cmd)));
    });
}
