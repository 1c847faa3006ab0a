// The CLI entry: the only code that touches process — argv, env, stdout/stderr, signals, exit codes.
// Exit codes: 0 GO, 1 NO-GO, 3 INCONCLUSIVE, 2 invalid usage/config/input, 130 interrupted.
import { setMaxListeners } from 'node:events';
import { Command, CommanderError } from 'commander';
import { EXIT, isUserError } from '../core/errors.js';
import { TOOL_VERSION } from '../version.js';
import { COMMANDS } from './commands/index.js';
import type { Io } from './io.js';

function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('cutover')
    .description(
      'Verification and load-testing harness for the Compose → Kubernetes migration: same scenarios on both environments, a go/no-go per phase.',
    )
    .version(
      `${TOOL_VERSION} (Node ${io.nodeVersion})`,
      '-V, --version',
      'print the version and the Node.js in use',
    )
    .option('-c, --config <file>', 'config file (default: cutover.config.ts in the current folder)')
    .option('--no-color', 'plain output without colours')
    .showHelpAfterError('(run cutover --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  for (const register of COMMANDS) register(program, { io, setExit });
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
  // Every request in flight listens for Ctrl-C on this one signal (hundreds under load); that is by
  // design, not a leak, so Node's 10-listener warning does not apply.
  setMaxListeners(0, controller.signal);
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
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  finished = true;
  process.exit(exitCode);
}

/**
 * Resolves once everything written to the stream has been handed to the OS — at once where writes are
 * synchronous (files, and pipes and terminals on Linux), on 'drain' where they are not (pipes on
 * macOS). A fixed pause here cost every command 50 ms of wall time. A stream that failed (the reader
 * went away) or never drains within a second does not keep the process alive.
 */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.writableLength === 0 || stream.destroyed) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(done, 1000);
    const finish = () => {
      clearTimeout(timer);
      done();
    };
    stream.once('drain', finish);
    stream.once('error', finish);
    stream.once('close', finish);
  });
}

// If Node runs out of work while a command is still waiting on a promise nothing will ever settle — a
// user module whose top-level await never ends, or a bug of ours (Node 24 stopped emitting an error we
// waited for) — it exits with code 0 and no output, and a script reads that as GO. Say so and fail.
let finished = false;
process.on('exit', (code) => {
  if (finished || code !== 0) return;
  process.stderr.write(
    'cutover: the command stopped before it finished: it was waiting for something that can no longer happen (a config, scenario or gate module whose top-level await never ends, or else a bug in Cutover: please report it); no verdict was reached\n',
  );
  process.exitCode = 70;
});
void main();
