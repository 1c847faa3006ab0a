// Shared pieces for registering commands: each file in src/cli/register/ exports a `register` that adds
// its command's name, help and flags to the program and imports the implementation (src/cli/commands/)
// only in its action; src/cli/commands/index.ts lists them. A new command adds those two files and one line.
import { type Command, Option } from 'commander';
import type { Io } from './io.js';

export interface CommandContext {
  io: Io;
  /** Records the exit code the command decided. */
  setExit: (code: number) => void;
}

export type RegisterCommand = (program: Command, ctx: CommandContext) => void;

/** Repeatable list flags: `--env a --env b` and `--env a,b` both work. */
export const collect = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean),
];

/** Repeatable flags whose values may contain commas (faults). */
export const repeat = (value: string, previous: string[] = []): string[] => [...previous, value];

export const jsonOption = (): Option => new Option('--json', 'print exactly one JSON object on stdout');

/** The command's options merged with the global ones (--config). */
export function flagsOf<T>(cmd: Command): T {
  return cmd.optsWithGlobals() as T;
}

/** What `--reporter` may name (src/cli/reporters.ts writes them): one file each, or stdout, or the CI summary. */
export const REPORTER_NAMES = ['console', 'md', 'html', 'json', 'junit', 'github'] as const;

/** `--reporter LIST`, on every command that writes reports (as Playwright's and Vitest's runners have it). */
export const reporterOption = (): Option =>
  new Option(
    '--reporter <list>',
    `reports to produce, comma-separated: ${REPORTER_NAMES.join(', ')} (default: all; github when GITHUB_STEP_SUMMARY is set)`,
  );

/** `--push URL`, on every command that records a run: its summary to a Prometheus Pushgateway (src/cli/push.ts). */
export const pushOption = (): Option =>
  new Option(
    '--push <url>',
    "after recording, push the run's summary (verdicts, criteria) to this Prometheus Pushgateway; a failed push is a warning, never a different verdict",
  );

/** `--output DIR`, beside `--reporter`: where the reports go. */
export const outputOption = (help: string): Option => new Option('--output <dir>', help);
