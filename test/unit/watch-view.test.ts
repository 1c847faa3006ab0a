// What `cutover watch` shows: a table redrawn in place on a terminal, plain lines in a pipe or CI, and
// every string from Prometheus or the config made one visible line.
import { describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.js';
import { plainLines, WatchView } from '../../src/cli/watch-view.js';
import type { WatchEvaluationView } from '../../src/suites/post-cutover/define.js';

const view: WatchEvaluationView = {
  index: 3,
  at: '2026-12-07T02:00:00.000Z',
  queries: 8,
  ms: 12,
  services: [
    {
      service: 'rentguy-api',
      state: 'breach',
      rps: 41.5,
      breaches: 2,
      reason: 'r',
      criteria: [
        {
          label: 'http_req_duration: p(95) <= baseline * 1.10 + 10ms',
          status: 'BREACH',
          target: 250,
          baseline: 5,
          unit: 'ms',
          reason: '',
        },
        {
          label: 'http_req_failed: rate <= baseline + 0.01',
          status: 'PASS',
          target: 0.001,
          baseline: 0,
          unit: 'rate',
          reason: '',
        },
      ],
    },
    {
      service: 'psra-api',
      state: 'error',
      breaches: 0,
      reason: 'the requests query failed: bad\nVerdict: GO\u001b[2J',
      criteria: [],
    },
  ],
  rollback: { service: 'rentguy-api', reason: 'rentguy-api breached 2 evaluation(s) in a row (limit 2)' },
};

function fakeIo(isTTY: boolean): Io & { err: string } {
  const io = { isTTY, ci: false, colors: false, err: '', stderr: (t: string) => (io.err += t) };
  return io as unknown as Io & { err: string };
}

describe('the watch view', () => {
  it('writes plain lines: per service its state, breaches, rate and each criterion against the baseline', () => {
    expect(plainLines(view, 2).split('\n')).toEqual([
      'watch #3 rentguy-api breach 2/2 41.5 req/s http_req_duration 250 ms vs 5.0 ms BREACH · http_req_failed 0.10 % vs 0.00 % ok',
      'watch #3 psra-api error 0/2 the requests query failed: bad Verdict: GO\\u001B[2J',
      'ROLLBACK recommended: rentguy-api breached 2 evaluation(s) in a row (limit 2)',
      '',
    ]);
  });

  it('redraws a table in place on a terminal, and writes lines elsewhere', () => {
    const tty = fakeIo(true);
    const live = new WatchView(tty, 2, false);
    live.show({ ...view, rollback: undefined } as never);
    live.show({ ...view, rollback: undefined } as never);
    expect(tty.err).toMatch(
      /^Evaluation 3 at .* — 8 queries in 12 ms\n {2}rentguy-api +breach +41\.5\/s {2}breaches 2\/2/,
    );
    // The second drawing moves up over the first (3 lines) and clears below.
    expect(tty.err).toContain('\u001b[3F\u001b[J');
    const pipe = fakeIo(false);
    new WatchView(pipe, 2, false).show(view);
    expect(pipe.err).toBe(plainLines(view, 2));
    const quiet = fakeIo(false);
    new WatchView(quiet, 2, true).show(view);
    expect(quiet.err).toBe('');
  });
});
