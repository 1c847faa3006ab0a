// The CLI entry: the only code that touches process — argv, env, stdout/stderr, signals, exit codes.
// Exit codes: 0 GO, 1 NO-GO, 3 INCONCLUSIVE, 2 invalid usage/config/input, 130 interrupted.
import { Command, CommanderError, Option } from 'commander';
import { EXIT, isUserError } from '../core/errors.js';
import { TOOL_VERSION } from '../version.js';
import { demoCommand } from './commands/demo.js';
import { doctorCommand } from './commands/doctor.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { simCommand } from './commands/sim.js';
import type { Io } from './io.js';

/** Repeatable list flags: `--env a --env b` and `--env a,b` both work. */
const collect = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean),
];
const repeat = (value: string, previous: string[] = []) => [...previous, value];

function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('cutover')
    .description(
      'Verification and load-testing harness for the Compose → Kubernetes migration: same scenarios on both environments, a go/no-go per phase.',
    )
    .version(TOOL_VERSION)
    .option('-c, --config <file>', 'config file (default: cutover.config.ts in the current folder)')
    .option('--no-color', 'plain output without colours')
    .showHelpAfterError('(run cutover --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  const jsonOpt = () => new Option('--json', 'print exactly one JSON object on stdout');
  const common = (cmd: Command) =>
    cmd
      .option('-e, --env <names>', 'environments to run (repeatable or comma-separated)', collect)
      .option('-s, --service <ids>', 'services to run (repeatable or comma-separated)', collect)
      .addOption(jsonOpt())
      .option('-v, --verbose', 'list passing criteria too');
  const global = (cmd: Command) => cmd.optsWithGlobals() as Record<string, unknown>;

  program
    .command('demo')
    .description('start the simulated platform, run the suites on baseline and target, print the verdict')
    .option(
      '-f, --fault <ENV:SERVICE:FAULT>',
      'inject a fault (repeatable), e.g. target:rentguy-api:down',
      repeat,
    )
    .addOption(jsonOpt())
    .option('-v, --verbose', 'list passing criteria too')
    .action(async (_o, cmd: Command) => setExit(await demoCommand(io, global(cmd))));

  common(
    program
      .command('run')
      .description('run the suites against the configured environments and evaluate the gates'),
  ).action(async (_o, cmd: Command) => setExit(await runCommand(io, global(cmd))));

  program
    .command('sim')
    .description('start the simulated platform until Ctrl-C')
    .option('-f, --fault <ENV:SERVICE:FAULT>', 'inject a fault (repeatable)', repeat)
    .option('-e, --env <names>', 'environments to simulate (default: all)', collect)
    .action(async (_o, cmd: Command) => setExit(await simCommand(io, global(cmd))));

  program
    .command('report')
    .description('render a recorded run again, also a partial one')
    .argument('<run>', 'run id (under reports/) or a run folder')
    .addOption(jsonOpt())
    .option('-v, --verbose', 'list passing criteria too')
    .action(async (run: string, _o, cmd: Command) => setExit(await reportCommand(io, run, global(cmd))));

  program
    .command('doctor')
    .description("what this machine has, and whether the config's endpoints answer")
    .option('-e, --env <names>', 'environments to probe', collect)
    .addOption(jsonOpt())
    .action(async (_o, cmd: Command) => setExit(await doctorCommand(io, global(cmd))));

  return program;
}

function printUserError(
  io: Io,
  error: { message: string; details: readonly string[]; hint: string | undefined },
) {
  io.stderr(`cutover: ${error.message}\n`);
  for (const line of error.details) io.stderr(`  ${line}\n`);
  if (error.hint) io.stderr(`hint: ${error.hint}\n`);
}

async function main(): Promise<void> {
  const controller = new AbortController();
  const colors =
    process.stdout.isTTY === true && !process.env.NO_COLOR && !process.argv.includes('--no-color');
  const io: Io = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: process.stderr.isTTY === true,
    colors,
    ci: Boolean(process.env.CI),
    env: process.env,
    cwd: process.cwd(),
    nodeVersion: process.version,
    now: () => new Date(),
    signal: controller.signal,
  };
  let exitCode: number = EXIT.GO;
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      // Second Ctrl-C: the user does not want to wait for the record to be closed.
      io.stderr(`\n${signal} again: exiting now; events.jsonl holds what was recorded.\n`);
      process.exit(EXIT.INTERRUPTED);
    }
    io.stderr(`\n${signal}: stopping, closing the run record (again to exit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(process.argv);
    if (process.argv.length <= 2) {
      program.outputHelp();
      exitCode = EXIT.USAGE;
    }
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version are successes; every other commander error is a usage error.
      exitCode = error.exitCode === 0 ? EXIT.GO : EXIT.USAGE;
    } else if (isUserError(error)) {
      printUserError(io, error);
      exitCode = error.exitCode;
    } else {
      io.stderr(
        `cutover: internal error (a bug, please report it):\n${error instanceof Error ? error.stack : String(error)}\n`,
      );
      exitCode = 70;
    }
  }
  // Let stdout drain before exiting: process.exit can truncate piped output (nodejs/node#6456).
  process.exitCode = exitCode;
  setTimeout(() => process.exit(exitCode), 50);
}

void main();
