// `cutover perf`: its name, help text and flags. The implementation, src/cli/commands/perf.ts,
// is imported only when the command runs: --help and the other commands never load its dependencies.
import { type Command, Option } from 'commander';
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
import type { PerfFlags } from '../commands/perf.js';

export function registerPerf(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('perf')
    .description('run the performance scenarios on baseline and target (A/B blocks) and evaluate the gates')
    .option('--scenario <names>', 'scenarios to run (repeatable or comma-separated; default all)', collect)
    .option(
      '--scenario-file <file>',
      'an extra scenario module (definePerformanceScenario), repeatable',
      repeat,
    )
    .option('--env <names>', 'environments (repeatable or comma-separated)', collect)
    .addOption(
      new Option('--engine <engine>', 'load engine')
        .choices(['embedded', 'k6', 'k6-operator'])
        .default('embedded'),
    )
    .option('--parallelism <n>', 'k6-operator runners')
    .addOption(
      new Option('--mode <mode>', 'A/B comparison').choices(['alternating', 'sequential', 'interleaved']),
    )
    .option('--duration <d>', "compress each scenario's timeline to this length per environment, e.g. 30s")
    .option('--block <d>', 'length of one alternating block, e.g. 10s')
    .option('--scale <factor>', 'multiply every rate and VU count')
    .option('--warmup <d>', 'unrecorded warm-up per environment (0 for none)')
    .option('--threads <n|auto>', 'load threads of the embedded engine')
    .option('--k6 <path>', 'k6 executable for --engine k6 (default: k6 on PATH)')
    .option(
      '--k6-script <file>',
      "a team's own k6 script (.js or .ts) to run as written on both environments, with k6 or the k6-operator; repeatable",
      repeat,
    )
    .option(
      '--service <id>',
      "the service whose URL a --k6-script gets as __ENV.CUTOVER_BASE_URL (default: the config's only one)",
      collect,
    )
    .option(
      '--k6-env <names>',
      "variables of this environment handed to the --k6-script's __ENV (repeatable or comma-separated)",
      collect,
    )
    .option('--series <file>', 'write the per-second time series as JSON lines')
    .option(
      '-g, --gate <ids>',
      'judge the run by these gates (id such as 3-rentguy, a phase 1..5, or performance); default: the gates its evidence serves',
      collect,
    )
    .option('--dry-run', 'print the plan and send nothing')
    .addOption(jsonOption())
    .option('-v, --verbose', 'list passing criteria too')
    .addOption(reporterOption())
    .addOption(pushOption())
    .addOption(outputOption("folder for the run's folder and its reports (default: the config's reportsDir)"))
    .action(async (_o, cmd: Command) => {
      const { perfCommand } = await import('../commands/perf.js');
      setExit(await perfCommand(io, flagsOf<PerfFlags>(cmd)));
    });
}
