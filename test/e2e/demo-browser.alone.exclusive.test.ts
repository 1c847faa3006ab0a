// The browser suite in the demo (`cutover demo --suite browser`): RentGuy's simulated frontend, signed in
// through each environment's simulated Keycloak, opened in Debian's Chromium on both environments. Healthy,
// the RentGuy browser gate is GO with no pixel differing; with the page faults on the target each one is
// caught and named. Alone, after every other test (vitest.config.ts): the LCP criterion compares page
// timings of a simulator sharing the machine with the browser, and Chromium starves whatever runs beside.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSimProject, ROOT, runCli } from '../helpers/project.js';

interface Criterion {
  id: string;
  status: string;
  reason?: string;
}

async function demo(name: string, faults: string[]) {
  const p = await makeSimProject(name, (c) => {
    // Six loads a page, two pages: twelve LCP samples a side, enough for the wave gate's median.
    c.browser = { ...c.browser, specDir: join(ROOT, 'suites/browser'), loads: 6 };
  });
  const r = await runCli(
    ['--config', p.configFile, 'demo', '--suite', 'browser', ...faults.flatMap((f) => ['--fault', f])],
    { cwd: p.dir, timeoutMs: 300_000 },
  );
  const [id] = readdirSync(join(p.dir, 'reports')).filter((n) => /^\d{8}-/.test(n));
  const runDir = join(p.dir, 'reports', id!);
  const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
  const gate = record.gates.find((g: { id: string }) => g.id === '3-rentguy-browser');
  const criterion = (cid: string): Criterion => gate.criteria.find((c: Criterion) => c.id === cid);
  return { ...r, record, gate, criterion, runDir };
}

describe('cutover demo --suite browser', () => {
  it('is GO on a healthy simulator: signed in, the same pixels, the same console, requests and timings', async () => {
    const d = await demo('demo-browser-go', []);
    expect(d.code, d.stdout + d.stderr).toBe(0);
    expect(d.gate.verdict).toBe('GO');
    const checks = d.record.checks.filter((c: { suite: string }) => c.suite === 'browser');
    expect(
      checks.filter((c: { check: string }) => c.check === 'login').map((c: { status: string }) => c.status),
    ).toEqual(['pass', 'pass']);
    const visual = checks.filter((c: { check: string }) => c.check === 'visual');
    expect(visual).toHaveLength(2);
    for (const v of visual) expect(v.data.diffPixels, v.reason).toBe(0);
    expect(d.record.tool.browser).toMatch(/^Chromium \d+/);
  }, 320_000);

  it('catches every page fault of the target and names it', async () => {
    const d = await demo('demo-browser-faults', [
      'target:rentguy-frontend:layout-shift',
      'target:rentguy-frontend:console-error',
      'target:rentguy-frontend:slow-lcp=+800ms',
      'target:rentguy-frontend:a11y-missing-label',
      'target:rentguy-frontend:broken-asset',
    ]);
    expect(d.code, d.stdout + d.stderr).toBe(1);
    expect(d.gate.verdict).toBe('NO-GO');
    // Each fault named in the failed checks of its kind (a criterion's reason shows only the first few).
    const failed = (check: string) =>
      d.record.checks
        .filter(
          (c: { suite: string; check: string; status: string }) =>
            c.suite === 'browser' && c.check === check && c.status === 'fail',
        )
        .map((c: { reason: string }) => c.reason)
        .join('\n');
    for (const id of ['browser.visual', 'browser.console', 'browser.network', 'browser.a11y', 'browser.lcp'])
      expect(d.criterion(id), id).toMatchObject({ status: 'FAIL' });
    expect(failed('visual')).toMatch(/page 'rentguy home' differs on the target/); // layout-shift
    expect(failed('console')).toContain('feature flags unavailable'); // console-error
    expect(failed('network')).toContain('GET /assets/theme.css → 404'); // broken-asset
    expect(failed('a11y')).toMatch(/label \(critical/); // a11y-missing-label
    expect(d.criterion('browser.lcp').reason).toMatch(/beyond the limit/); // slow-lcp
    expect(d.stdout).toMatch(/Verdict: NO-GO/);
  }, 320_000);
});
