// `cutover status`: its name, help text and flags. The implementation, src/cli/commands/status.ts,
// is imported only when the command runs: --help and the other commands never load its dependencies.
import type { Command } from 'commander';
import { type CommandContext, flagsOf, jsonOption, outputOption } from '../command-kit.js';
import type { StatusFlags } from '../commands/status.js';

export function registerStatus(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('status')
    .description(
      'the migration at a glance across runs: each phase and wave with its latest verdict, blockers, evidence age, waivers, sign-offs and the success criteria',
    )
    .option('--limit <n>', 'how many recorded runs to read, newest first (default 100)')
    .addOption(jsonOption())
    .addOption(outputOption("folder for status.md and status.html (default: the config's reportsDir)"))
    .action(async (_o, cmd: Command) => {
      const { statusCommand } = await import('../commands/status.js');
      setExit(await statusCommand(io, flagsOf<StatusFlags>(cmd)));
    });
}
