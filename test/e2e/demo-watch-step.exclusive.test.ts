// The demo's short post-cutover watch with a latency step on the target: rollback recommended, phase 5
// fails on it. Exclusive (vitest.config.ts): the watch needs enough requests per window on both sides to
// decide, which a simulator starved by other tests' CPU does not serve (the watch then says it could
// not decide, and phase 5's traffic.watch is INCONCLUSIVE — honest, but not what this test is about).
import { describe, expect, it } from 'vitest';
import { makeSimProject, runCli } from '../helpers/project.js';

describe('cutover demo with a latency step during the watch', () => {
  it('a latency step on the target during the watch recommends rollback, and phase 5 fails on it', async () => {
    const p = await makeSimProject('demo-watch-step');
    const r = await runCli(
      [
        '--config',
        p.configFile,
        'demo',
        '--suite',
        'smoke,post-cutover',
        // From 6 s after the simulator starts: after the smoke checks, before the watch's windows.
        '--fault',
        'target:rentguy-api:latency=+200ms@6s',
      ],
      { cwd: p.dir },
    );
    expect(r.code, r.stdout + r.stderr).toBe(1);
    // The progress line (stderr), then the failed check and the gate (stdout).
    expect(r.stderr).toMatch(/ROLLBACK recommended: rentguy-api breached 2 evaluation\(s\) in a row/);
    expect(r.stdout).toMatch(/FAIL +traffic\.watch: post-cutover\.failed = 1 .*rentguy-api/);
    expect(r.stdout).toMatch(/Verdict: NO-GO — gate 5: traffic\.watch/);
  });
});
