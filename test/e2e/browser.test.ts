// The browser suite as a team would use it: a project folder outside the repository with its own config,
// its own Playwright specs (one of them knows nothing of Cutover) and its own gate, two small frontends
// on loopback as the two environments, `cutover run --suite browser` spawned for real in Debian's
// Chromium. A healthy pair is GO with no visual difference; a target with every page fault is NO-GO and
// each fault is named with its evidence; a broken login stops the target's specs and says so.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Site, type SiteFault, startSite } from '../helpers/browser-site.js';
import { runCli } from '../helpers/project.js';

const BOOKINGS_SPEC = `import { expect, test } from '@playwright/test';
import { capture } from 'cutover/browser';

test.describe('bookings', () => {
  test('list shows equipment', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('#list li')).toHaveCount(3);
    await capture(page, 'bookings list', { mask: ['[data-dynamic]'] });
  });
});
`;

// A team's existing spec, unchanged: no Cutover import at all.
const PLAIN_SPEC = `import { expect, test } from '@playwright/test';

test('the page has a title and a search box', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle('Bookings');
  await expect(page.getByLabel('Search')).toBeVisible();
});

test.skip('a feature not built yet', async () => {});
`;

const GATE = `import { defineGate } from 'cutover';

export default defineGate({
  id: 'shop-browser',
  phase: 3,
  title: 'The shop frontend in a browser',
  criteria: [
    { id: 'checks', title: 'every browser check passes', serves: 3, expr: 'browser.failed == 0' },
    { id: 'visual', title: 'pages look the same', serves: 3, expr: 'browser{check:visual}.failed == 0' },
    {
      id: 'lcp',
      title: 'LCP no slower',
      serves: 2,
      blocking: false,
      per: ['service'],
      expr: 'browser_lcp: med <= baseline * 1.10 + 100ms',
    },
  ],
});
`;

const PASSWORD = 'pw-do-not-leak-7781';

interface Project {
  dir: string;
  sites: Site[];
}

const made: Project[] = [];

async function project(
  name: string,
  target: readonly SiteFault[],
  options: { login?: boolean; shards?: number; timeoutMs?: number } = {},
): Promise<Project> {
  const dir = mkdtempSync(join(tmpdir(), `cutover-${name}-`));
  const login = options.login ? { username: 'qa', password: PASSWORD } : undefined;
  const base = await startSite({ dynamic: true, ...(login ? { login } : {}) });
  const tgt = await startSite({ dynamic: true, faults: target, ...(login ? { login } : {}) });
  mkdirSync(join(dir, 'e2e'));
  writeFileSync(join(dir, 'e2e/bookings.spec.ts'), BOOKINGS_SPEC);
  writeFileSync(join(dir, 'e2e/plain.spec.ts'), PLAIN_SPEC);
  mkdirSync(join(dir, 'gates'));
  writeFileSync(join(dir, 'gates/shop.ts'), GATE);
  const config = {
    project: 'shop',
    environments: {
      baseline: { kind: 'compose', composeFile: 'compose.yml', services: { 'shop-web': { url: base.url } } },
      target: {
        kind: 'kubernetes',
        context: 'shop',
        namespaces: ['shop'],
        services: { 'shop-web': { url: tgt.url } },
      },
    },
    services: { 'shop-web': { tier: 'frontend', phase: 3, wave: 'shop', health: { path: '/' } } },
    browser: {
      specDir: 'e2e',
      shards: options.shards ?? 1,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(login ? { login: { usernameEnv: 'SHOP_USER', passwordEnv: 'SHOP_PASSWORD' } } : {}),
    },
  };
  writeFileSync(join(dir, 'cutover.config.mjs'), `export default ${JSON.stringify(config, null, 2)};\n`);
  const p = { dir, sites: [base, tgt] };
  made.push(p);
  return p;
}

async function run(p: Project) {
  const r = await runCli(['run', '--suite', 'browser', '--json'], {
    cwd: p.dir,
    env: { SHOP_USER: 'qa', SHOP_PASSWORD: PASSWORD },
    timeoutMs: 240_000,
  });
  const runs = join(p.dir, 'reports');
  const id = readdirSync(runs).find((f) => /^\d{8}-/.test(f))!;
  const runDir = join(runs, id);
  const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
  return { ...r, runDir, record, json: JSON.parse(r.stdout || '{}') };
}

type Check = {
  environment: string;
  check: string;
  status: string;
  reason: string;
  data?: Record<string, unknown>;
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

afterAll(async () => {
  for (const p of made) {
    for (const s of p.sites) await s.close();
    rmSync(p.dir, { recursive: true, force: true });
  }
});

describe('browser suite, end to end', () => {
  describe('a healthy pair behind a login, sharded', () => {
    let result: Awaited<ReturnType<typeof run>>;
    beforeAll(async () => {
      result = await run(await project('healthy', [], { login: true, shards: 2 }));
    }, 300_000);

    it('is GO: every spec passes on both sides and the page looks the same (masked clock and all)', () => {
      expect(result.code, result.stderr + result.stdout.slice(0, 2000)).toBe(0);
      const checks: Check[] = result.record.checks;
      const failed = checks.filter((c) => c.status === 'fail');
      expect(failed).toEqual([]);
      expect(checks.filter((c) => c.check === 'login').map((c) => c.environment)).toEqual([
        'baseline',
        'target',
      ]);
      // Two shards per environment, merged: every test of both spec files, the skipped one skipped.
      const specs = checks.filter((c) => c.check === 'spec' && c.environment === 'target');
      expect(specs.map((c) => c.status).sort()).toEqual(['pass', 'pass', 'skip']);
      const visual = checks.find((c) => c.check === 'visual')!;
      expect(visual.data?.diffPixels).toBe(0);
      expect(visual.reason).toContain("page 'bookings list' looks the same");
      expect(result.record.evidence.some((e: { name?: string }) => e.name === 'browser_lcp')).toBe(true);
    });

    it('records the Chromium version in the run and in every report', () => {
      expect(result.record.tool.browser).toMatch(/^Chromium \d+\.\d+/);
      const md = readFileSync(join(result.runDir, 'report.md'), 'utf8');
      expect(md).toContain(result.record.tool.browser);
      expect(readFileSync(join(result.runDir, 'report.html'), 'utf8')).toContain(result.record.tool.browser);
      const json = JSON.parse(readFileSync(join(result.runDir, 'report.json'), 'utf8'));
      expect(json.run.tool.browser).toBe(result.record.tool.browser);
    });

    it('keeps neither the password nor the signed-in session in the run folder', () => {
      for (const f of files(result.runDir)) {
        const text = readFileSync(f, 'latin1');
        expect(text, f).not.toContain(PASSWORD);
        expect(text, f).not.toContain('session=ok');
      }
    });
  });

  describe('a target with every page fault', () => {
    let result: Awaited<ReturnType<typeof run>>;
    beforeAll(async () => {
      result = await run(
        await project(
          'faults',
          [
            'layout-shift',
            'console-error',
            'broken-asset',
            'a11y-missing-label',
            'slow-lcp',
            // A spec timeout the capture's eight slow loads alone exceed: capture adds its own time.
          ],
          { timeoutMs: 6000 },
        ),
      );
    }, 300_000);

    it('is NO-GO, and each fault is named with the page, the environment and what differs', () => {
      expect(result.code, result.stderr).toBe(1);
      const checks: Check[] = result.record.checks;
      const failed = Object.fromEntries(
        checks.filter((c) => c.status === 'fail').map((c) => [`${c.environment} ${c.check}`, c.reason]),
      );
      expect(Object.keys(failed).sort()).toEqual([
        'target a11y',
        'target console',
        'target network',
        'target visual',
      ]);
      expect(failed['target visual']).toMatch(
        /^page 'bookings list' differs on the target: .* pixels .* differ/,
      );
      expect(failed['target console']).toContain('bookings: failed to read /api/bookings: 500');
      expect(failed['target network']).toContain('GET /theme.css → 404');
      expect(failed['target a11y']).toContain('label (critical');
      expect(failed['target a11y']).toContain('#email');
    });

    it('judges the slower largest contentful paint with the gate’s relative criterion', () => {
      const gate = result.record.gates.find((g: { id: string }) => g.id === 'shop-browser');
      const lcp = gate.criteria.find((c: { id: string }) => c.id === 'lcp');
      expect(lcp.status, lcp.reason).toBe('FAIL');
      expect(lcp.reason).toContain('beyond the limit');
    });

    it('puts the diff image in the run folder and links it, with both screenshots, from report.html', () => {
      const visual = (result.record.checks as Check[]).find((c) => c.check === 'visual')!;
      const diff = String(visual.data?.diffImage);
      expect(statSync(join(result.runDir, diff)).size).toBeGreaterThan(100);
      const html = readFileSync(join(result.runDir, 'report.html'), 'utf8');
      expect(html).toContain(`<a href="${diff}">diff image</a>`);
      expect(html).toContain('baseline screenshot');
    });
  });

  it('a broken login on the target fails the sign-in, and the specs that needed it did not run', async () => {
    const r = await run(await project('login', ['login-broken'], { login: true }));
    expect(r.code, r.stderr).toBe(1);
    const checks: Check[] = r.record.checks;
    const login = checks.find((c) => c.check === 'login' && c.environment === 'target')!;
    expect(login.status).toBe('fail');
    expect(login.reason).toContain('sign-in failed');
    expect(login.data?.trace).toMatch(/\.zip$/);
    const specs = checks.filter(
      (c) => c.check === 'spec' && c.environment === 'target' && c.status === 'fail',
    );
    expect(specs.length).toBe(2);
    expect(specs[0]!.reason).toContain('did not run');
  }, 300_000);
});
