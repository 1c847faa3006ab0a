// The HTML report opens in Debian's Chromium with no console error, no request at all (it is
// self-contained), and is legible: a screenshot is taken and checked to be more than a blank page. Its
// first screen (1280×800) says what was decided: the verdict, every gate, the six success criteria.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/record/run-schema.js';
import { renderReportFiles } from '../../src/report/files.js';
import { gateRecord } from '../helpers/gate-record.js';
import { makeSimProject, runCli, tmpDir } from '../helpers/project.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

describe.skipIf(!existsSync(CHROMIUM))('HTML gate report in Chromium', () => {
  it('renders without console errors or network, legibly', async () => {
    const dir = tmpDir('html-report');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'report.html');
    writeFileSync(file, renderReportFiles(gateRecord())['report.html']!);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (r) => r.url().startsWith('file:') || requests.push(r.url()));
      await page.goto(`file://${file}`);
      expect(await page.title()).toContain('NO-GO');
      // Hostile text from a response is shown as text, never run or parsed as markup.
      expect(await page.locator('script').count()).toBe(0);
      expect(await page.getByText('<script>alert(1)</script>', { exact: false }).count()).toBeGreaterThan(0);
      expect(await page.locator('svg').count()).toBeGreaterThanOrEqual(5);
      // The per-second series, baseline and target on one timeline, and latency by status class.
      const overTime = page.locator('svg[aria-label^="rentguy: latency per second"]');
      expect(await overTime.count()).toBe(1);
      expect((await overTime.boundingBox())!.width).toBeGreaterThan(400);
      expect(await overTime.locator('path').count()).toBe(6); // p50, p95, p99 per side
      expect(await page.getByRole('cell', { name: '5xx', exact: true }).count()).toBe(1);
      const verdict = page.locator('h1 .verdict');
      await expect.poll(() => verdict.textContent()).toBe('NO-GO');
      const box = await page.locator('table').first().boundingBox();
      expect(box!.width).toBeGreaterThan(600);
      const shot = await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
      expect(shot.length).toBeGreaterThan(30_000);
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  /** Opens report.html at 1280×800 and checks that its header, every gate and the six success criteria are on that screen. */
  async function firstScreen(file: string, gates: number, verdict: string) {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`file://${file}`);
    const onFirstScreen = async (selector: string) => {
      const boxes = await page.locator(selector).evaluateAll((els) =>
        els.map((e) => {
          const r = e.getBoundingClientRect();
          return { bottom: r.bottom, height: r.height };
        }),
      );
      expect(boxes.length, selector).toBeGreaterThan(0);
      for (const b of boxes) {
        expect(b.height, selector).toBeGreaterThan(0);
        expect(b.bottom, selector).toBeLessThanOrEqual(800);
      }
      return boxes.length;
    };
    try {
      expect(await page.locator('h1 .verdict').textContent()).toBe(verdict);
      await onFirstScreen('h1 .verdict');
      expect(await onFirstScreen('table.summary:first-of-type tbody tr')).toBe(gates);
      expect(await onFirstScreen('table.summary:nth-of-type(2) tbody tr')).toBe(6);
      await onFirstScreen('header.first');
      const shot = await page.screenshot({ path: file.replace(/\.html$/, '-first-screen.png') });
      expect(shot.length).toBeGreaterThan(30_000);
    } catch (error) {
      await browser.close();
      throw error;
    }
    return { browser, page };
  }

  it('opens on one screen that says what was decided; passed criteria are folded below', async () => {
    const dir = tmpDir('html-first-screen');
    const file = join(dir, 'report.html');
    const record = gateRecord();
    writeFileSync(file, renderReportFiles(record)['report.html']!);
    const { browser, page } = await firstScreen(file, record.gates.length, 'NO-GO');
    try {
      const criteria = page.locator('table.summary').nth(1).locator('tbody tr');
      expect(await criteria.nth(1).textContent()).toMatch(
        /Performance equal or better than Compose\s*failed/,
      );
      // Each gate's line links to its section; its blocking reasons are there in full.
      await page.locator('table.summary a', { hasText: /^3-rentguy$/ }).click();
      const section = page.locator('section', { has: page.locator('h2', { hasText: 'Gate 3-rentguy' }) });
      expect(await section.getByRole('cell', { name: 'perf.median', exact: true }).isVisible()).toBe(true);
      // What passed is folded until opened.
      const passed = section.getByRole('cell', { name: 'integration', exact: true });
      expect(await passed.isVisible()).toBe(false);
      await section.locator('summary', { hasText: 'passed' }).click();
      expect(await passed.isVisible()).toBe(true);
    } finally {
      await browser.close();
    }
  });

  it("a demo's report: the verdict, its gates and the six success criteria fit on the first screen", async () => {
    const p = await makeSimProject('html-first-screen-demo');
    const r = await runCli(
      [
        '--config',
        p.configFile,
        'demo',
        '--json',
        '--suite',
        'smoke,integration,performance,security,monitoring',
      ],
      { cwd: p.dir, timeoutMs: 120_000 },
    );
    expect(r.stdout, r.stderr).not.toBe('');
    const { reportDir, verdict } = JSON.parse(r.stdout) as { reportDir: string; verdict: string };
    const record = JSON.parse(readFileSync(join(p.dir, reportDir, 'run.json'), 'utf8')) as RunRecord;
    expect(record.gates.length).toBeGreaterThanOrEqual(9);
    const { browser } = await firstScreen(
      join(p.dir, reportDir, 'report.html'),
      record.gates.length,
      verdict,
    );
    await browser.close();
  }, 150_000);
});
