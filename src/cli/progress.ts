// Live progress while checks run. On a terminal one status line is redrawn and failures scroll above
// it; in CI or a pipe, one plain line per finished service. Hand-written (about 60 lines) because the
// libraries for this (listr2, ora) bring spinners and task trees this view does not need.
import type { CheckResult } from '../core/model.js';
import type { Io } from './io.js';

export class Progress {
  private done = 0;
  private failed = 0;
  private total = 0;
  private readonly perTarget = new Map<string, CheckResult[]>();
  private readonly live: boolean;
  private drawn = false;

  constructor(
    private readonly io: Io,
    private readonly checksPerTarget: number,
    private readonly quiet = false,
  ) {
    this.live = io.isTTY && !io.ci && !quiet;
  }

  start(total: number, dir: string): void {
    this.total = total;
    if (!this.quiet) this.io.stderr(`Recording to ${dir}\n`);
    this.draw();
  }

  check(check: CheckResult): void {
    this.done++;
    if (check.status === 'fail') this.failed++;
    const key = `${check.environment}/${check.service}`;
    const list = this.perTarget.get(key) ?? [];
    list.push(check);
    this.perTarget.set(key, list);
    if (list.length === this.checksPerTarget) this.finishedTarget(key, list);
    this.draw();
  }

  private finishedTarget(key: string, list: CheckResult[]): void {
    if (this.quiet) return;
    const failures = list.filter((c) => c.status === 'fail');
    const line =
      failures.length === 0
        ? `  ok    ${key} (${list.filter((c) => c.status === 'pass').length} passed)`
        : `  FAIL  ${key}: ${failures.map((f) => `${f.check}: ${f.reason}`).join('; ')}`;
    if (!this.live && failures.length === 0 && !this.io.ci) return;
    this.clear();
    this.io.stderr(`${line}\n`);
  }

  private clear(): void {
    if (this.live && this.drawn) this.io.stderr('\r\x1b[2K');
    this.drawn = false;
  }

  private draw(): void {
    if (!this.live) return;
    this.clear();
    this.io.stderr(`smoke: ${this.done}/${this.total} checks, ${this.failed} failed`);
    this.drawn = true;
  }

  end(): void {
    this.clear();
  }
}
