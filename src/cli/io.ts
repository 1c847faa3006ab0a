// Everything a command may touch of the outside world, in one object (k6's GlobalState idea): main.ts
// builds the real one from process; tests could build another.

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stderr is a terminal: a live progress view is possible. */
  isTTY: boolean;
  colors: boolean;
  /** Running under CI (plain lines, no redraws). */
  ci: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  nodeVersion: string;
  now: () => Date;
  /** Aborted on Ctrl-C or SIGTERM. */
  signal: AbortSignal;
}
