// Live progress while checks run. On a terminal one status line is redrawn and failures scroll above
// it; in CI or a pipe, plain lines: each failure as it happens, and a line per suite in CI. Hand-written
// (about 70 lines) because the libraries for this (listr2, ora) bring spinners and task trees this view
// does not need.
import type { CheckResult } from '../core/model.js';
import { visible } from '../report/text.js';
import type { Io } from './io.js';

export class Progress {
  private done = 0;
  private failed = 0;
  private total = 0;
  private suite = '';
  private readonly live: boolean;
  private drawn = false;

  constructor(
    private readonly io: Io,
    private readonly quiet = false,
  ) {
    this.live = io.isTTY && !io.ci && !quiet;
  }

  start(total: number, dir: string, suites: readonly string[]): void {
    this.total = total;
    if (this.quiet) return;
    this.io.stderr(`Recording to ${dir} (suites: ${suites.join(', ')})\n`);
    this.draw();
  }

  check(check: CheckResult): void {
    this.done++;
    if (check.suite !== this.suite) {
      if (this.suite && this.io.ci && !this.quiet) this.line(`  ${this.suite} done`);
      this.suite = check.suite;
    }
    if (check.status === 'fail') {
      this.failed++;
      if (!this.quiet)
        this.line(
          `  FAIL  ${check.suite} ${check.environment}/${check.service} ${check.check}: ${check.reason}`,
        );
    }
    this.draw();
  }

  log(text: string): void {
    if (!this.quiet) this.line(`  ${text}`);
  }

  private line(text: string): void {
    this.clear();
    // A check's reason may quote a response: its control and bidi characters are shown, not obeyed.
    this.io.stderr(`${visible(text)}\n`);
    this.draw();
  }

  private clear(): void {
    if (this.live && this.drawn) this.io.stderr('\r\x1b[2K');
    this.drawn = false;
  }

  private draw(): void {
    if (!this.live) return;
    this.clear();
    const of = this.total > 0 ? `/${this.total}` : '';
    this.io.stderr(`${visible(this.suite) || 'starting'}: ${this.done}${of} checks, ${this.failed} failed`);
    this.drawn = true;
  }

  end(): void {
    this.clear();
    if (this.io.ci && !this.quiet && this.suite)
      this.io.stderr(`  ${this.suite} done: ${this.done} checks, ${this.failed} failed\n`);
  }
}
