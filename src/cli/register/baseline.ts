// `cutover baseline`: its name, help text and flags. The implementation, src/cli/commands/baseline.ts,
// is imported only when the command runs: --help and the other commands never load its dependencies.
import type { Command } from 'commander';
import { type CommandContext, flagsOf, jsonOption } from '../command-kit.js';
import type { BaselineFlags } from '../commands/baseline.js';

export function registerBaseline(program: Command, { io, setExit }: CommandContext): void {
  const baseline = program.command('baseline').description('record and use baselines for later gates');
  baseline
    .command('record')
    .description(
      "store a run's baseline evidence in baselines/NAME.json, and with --traffic the baseline's Prometheus figures by hour of the week",
    )
    .argument('[run]', 'run id (under reports/) or a run folder (optional with --traffic)')
    .option('--name <name>', 'baseline name')
    .option('--env <name>', 'environment to record (default: baseline)')
    .option(
      '--aa',
      'the run compared two copies of the same system: record its parity differences as noise too',
    )
    .option(
      '--forget-noise',
      'drop the noise the baseline of this name learned before, instead of keeping it',
    )
    .option(
      '--traffic <span>',
      "also record the environment's traffic from its Prometheus over this span (such as 7d or 4w) by hour of the week, for cutover watch --baseline",
    )
    .addOption(jsonOption())
    .action(async (run: string | undefined, _o, cmd: Command) => {
      const { baselineRecordCommand } = await import('../commands/baseline.js');
      setExit(await baselineRecordCommand(io, run, flagsOf<BaselineFlags>(cmd)));
    });
}
