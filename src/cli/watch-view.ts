// What `cutover watch` shows after each evaluation. On a terminal, a table redrawn in place — per service
// its state, request rate, each criterion's figure against the baseline's, and its breaches out of the
// limit; in a pipe or CI, plain lines, one per service and evaluation, that a log keeps and grep finds.
// Everything Prometheus or the config wrote passes through visible(): a reason is one line, no escapes.
import { visible } from '../report/text.js';
import type { WatchEvaluationView, WatchServiceView } from '../suites/post-cutover/define.js';
import type { Io } from './io.js';

const COLOR: Partial<Record<WatchServiceView['state'], string>> = {
  healthy: '\u001b[32m',
  breach: '\u001b[31m',
};
const RESET = '\u001b[0m';

function figure(value: number | undefined, unit: string): string {
  if (value === undefined) return '–';
  if (unit === 'ms') return `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
  if (unit === 'rate' || unit === 'ratio') return `${(value * 100).toFixed(2)} %`;
  return String(value);
}

function criteriaText(s: WatchServiceView): string {
  return s.criteria
    .map((c) => {
      const name = c.label.split(':')[0] ?? c.label;
      const status = c.status === 'PASS' ? 'ok' : c.status === 'BREACH' ? 'BREACH' : '?';
      return `${name} ${figure(c.target, c.unit)} vs ${figure(c.baseline, c.unit)} ${status}`;
    })
    .join(' · ');
}

/** One plain line per service: `watch #3 rentguy-api breach 2/3 12.0 req/s http_req_duration 250 ms vs 41 ms BREACH · …`. */
export function plainLines(view: WatchEvaluationView, limit: number): string {
  const lines = view.services.map((s) => {
    const rate = s.rps === undefined ? '' : ` ${s.rps.toFixed(1)} req/s`;
    const detail = s.state === 'healthy' || s.state === 'breach' ? criteriaText(s) : s.reason;
    return `watch #${view.index} ${s.service} ${s.state} ${s.breaches}/${limit}${rate} ${visible(detail)}`;
  });
  if (view.rollback) lines.push(`ROLLBACK recommended: ${visible(view.rollback.reason)}`);
  return `${lines.join('\n')}\n`;
}

/** The table a terminal redraws. */
export function table(view: WatchEvaluationView, limit: number, colors: boolean): string {
  const head = `Evaluation ${view.index} at ${view.at} — ${view.queries} queries in ${view.ms} ms`;
  const rows = view.services.map((s) => {
    const state = s.state.padEnd(12);
    const painted = colors && COLOR[s.state] ? `${COLOR[s.state]}${state}${RESET}` : state;
    const rate = s.rps === undefined ? '–'.padStart(9) : `${s.rps.toFixed(1)}/s`.padStart(9);
    const detail = s.state === 'healthy' || s.state === 'breach' ? criteriaText(s) : s.reason;
    return `  ${s.service.padEnd(22)} ${painted} ${rate}  breaches ${s.breaches}/${limit}  ${visible(detail).slice(0, 160)}`;
  });
  return [head, ...rows].join('\n');
}

/** Draws each evaluation as it comes: in place on a terminal, as lines elsewhere. */
export class WatchView {
  private drawnLines = 0;
  private readonly live: boolean;

  constructor(
    private readonly io: Io,
    private readonly limit: number,
    quiet: boolean,
  ) {
    this.live = io.isTTY && !io.ci && !quiet;
    this.quiet = quiet;
  }

  private readonly quiet: boolean;

  show(view: WatchEvaluationView): void {
    if (this.quiet) return;
    if (!this.live) {
      this.io.stderr(plainLines(view, this.limit));
      return;
    }
    const text = table(view, this.limit, this.io.colors);
    // Move up over the previous table and clear to the end of the screen, then draw the new one.
    const up = this.drawnLines > 0 ? `\u001b[${this.drawnLines}F\u001b[J` : '';
    this.io.stderr(`${up}${text}\n`);
    this.drawnLines = text.split('\n').length;
    if (view.rollback) {
      this.io.stderr(`ROLLBACK recommended: ${visible(view.rollback.reason)}\n`);
      this.drawnLines = 0;
    }
  }
}
