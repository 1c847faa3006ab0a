// The HTML report opens in Debian's Chromium with no console error, no request at all (it is
// self-contained), and is legible: a screenshot is taken and checked to be more than a blank page.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { renderReportFiles } from '../../src/report/files.js';
import { gateRecord } from '../helpers/gate-record.js';
import { tmpDir } from '../helpers/project.js';

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
});
