// The spec-side helper (`import { capture } from 'cutover/browser'`): at a point worth comparing, load the
// page a few times and record what a user of either environment would meet — console errors, failed
// requests (HTTP ≥ 400 included), navigation timing, LCP and CLS, axe-core violations — and a screenshot
// with the dynamic regions masked. It runs inside Playwright's worker and writes nothing itself: the
// figures go into the test's report as a JSON attachment and the screenshot as a file Playwright keeps;
// the suite reads both back from the JSON report and compares the environments.
//
// Outside Cutover (a team's own `playwright test`) there is no environment to compare with: capture then
// does nothing, so the same specs keep running unchanged in their own CI.
import { AxeBuilder } from '@axe-core/playwright';
import { type ConsoleMessage, type Page, type Request, type Response, test } from '@playwright/test';
import {
  CAPTURE_CONTENT_TYPE,
  CAPTURE_JSON,
  CAPTURE_PNG,
  type Capture,
  type FailedRequest,
  type LoadTiming,
  slug,
} from './capture-model.js';
import type { CaptureSettings } from './define.js';

export interface CaptureOptions {
  /** Selectors masked in the screenshot, beside the config's `browser.masks`. */
  mask?: string[];
  /** A selector shown once the page is complete; the config's `browser.ready` by default. */
  ready?: string;
  /** Page loads to time; the config's `browser.loads` by default. */
  loads?: number;
  /** Screenshot the whole page, not only the viewport. @default true */
  fullPage?: boolean;
  /** Selectors axe leaves out (known, accepted violations). */
  axeExclude?: string[];
}

function settings(): CaptureSettings | undefined {
  const meta = test.info().project.metadata as { cutover?: CaptureSettings } | undefined;
  return meta?.cutover;
}

// Read after the load event: navigation timing from the entry, LCP and CLS from buffered observers (two
// animation frames later, so the last paint is in). LCP is the last candidate's render time.
const READ_TIMING = `new Promise((resolve) => {
  const nav = performance.getEntriesByType('navigation')[0];
  let lcp = 0; let cls = 0;
  try {
    new PerformanceObserver((l) => { for (const e of l.getEntries()) lcp = e.renderTime || e.loadTime || e.startTime; })
      .observe({ type: 'largest-contentful-paint', buffered: true });
    new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) cls += e.value; })
      .observe({ type: 'layout-shift', buffered: true });
  } catch {}
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => resolve({
    ttfb: nav ? nav.responseStart - nav.startTime : 0,
    dcl: nav ? nav.domContentLoadedEventEnd - nav.startTime : 0,
    load: nav ? nav.loadEventEnd - nav.startTime : 0,
    lcp, cls,
  }), 0)));
})`;

async function timeLoad(page: Page, own: CaptureSettings, ready: string | undefined): Promise<LoadTiming> {
  await page.reload({ waitUntil: 'load' });
  // loadEventEnd stays 0 until the load handlers have returned.
  await page.waitForFunction("performance.getEntriesByType('navigation')[0]?.loadEventEnd > 0");
  // Media an app requests after `load` (its hero image: often the largest paint) and the errors that
  // follow them come later; read at `load`, a late hero is never the LCP and the next reload aborts it,
  // so a slower target could look faster. Wait for a quiet network, as Lighthouse does, within a cap.
  if (ready)
    await page.waitForSelector(ready, { state: 'attached', timeout: own.settleTimeoutMs }).catch(() => {});
  if (own.settle === 'networkidle')
    await page.waitForLoadState('networkidle', { timeout: own.settleTimeoutMs }).catch(() => {});
  return (await page.evaluate(READ_TIMING)) as LoadTiming;
}

/** Records the page at this point for the cross-environment comparison (see the file's comment). */
export async function capture(page: Page, name: string, options: CaptureOptions = {}): Promise<void> {
  const own = settings();
  if (!own) return;
  const info = test.info();
  const loads = options.loads ?? own.loads;
  // The capture's page loads, axe and screenshot are Cutover's work, not the spec's: they get their own
  // time on top of the test's (5 s a load, 30 s for the rest), so 20 loads on a busy machine do not time
  // the spec out. A timeout of 0 is none.
  if (info.timeout > 0) info.setTimeout(info.timeout + loads * (5000 + own.settleTimeoutMs) + 30_000);
  await test.step(`cutover capture: ${name}`, async () => {
    const consoleErrors: string[] = [];
    const failedRequests: FailedRequest[] = [];
    const onConsole = (m: ConsoleMessage) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    };
    const onPageError = (e: Error) => consoleErrors.push(`uncaught ${e.name}: ${e.message}`);
    const onFailed = (r: Request) =>
      failedRequests.push({
        url: r.url(),
        method: r.method(),
        error: r.failure()?.errorText ?? 'failed',
        resourceType: r.resourceType(),
      });
    const onResponse = (r: Response) => {
      if (r.status() >= 400)
        failedRequests.push({
          url: r.url(),
          method: r.request().method(),
          status: r.status(),
          resourceType: r.request().resourceType(),
        });
    };
    page.on('console', onConsole);
    page.on('pageerror', onPageError);
    page.on('requestfailed', onFailed);
    page.on('response', onResponse);
    const timings: LoadTiming[] = [];
    try {
      for (let i = 0; i < loads; i++) timings.push(await timeLoad(page, own, options.ready ?? own.ready));
    } finally {
      page.off('console', onConsole);
      page.off('pageerror', onPageError);
      page.off('requestfailed', onFailed);
      page.off('response', onResponse);
    }
    const masks = [...own.masks, ...(options.mask ?? [])];
    const file = info.outputPath(`${CAPTURE_PNG}-${slug(name)}.png`);
    let screenshotError: string | undefined;
    try {
      await page.screenshot({
        path: file,
        fullPage: options.fullPage ?? true,
        animations: 'disabled',
        caret: 'hide',
        mask: masks.map((m) => page.locator(m)),
      });
      await info.attach(`${CAPTURE_PNG}: ${name}`, { path: file, contentType: 'image/png' });
    } catch (error) {
      screenshotError = String(error instanceof Error ? error.message : error);
    }
    let axe: Capture['axe'];
    let axeError: string | undefined;
    try {
      let builder = new AxeBuilder({ page });
      for (const s of options.axeExclude ?? []) builder = builder.exclude(s);
      const result = await builder.analyze();
      axe = result.violations.map((v) => ({
        id: v.id,
        impact: v.impact ?? 'unknown',
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
      }));
    } catch (error) {
      axeError = String(error instanceof Error ? error.message : error);
    }
    const record: Capture = {
      page: name,
      url: page.url(),
      environment: own.environment,
      browserVersion: page.context().browser()?.version() ?? 'unknown',
      loads: timings,
      consoleErrors: [...new Set(consoleErrors)],
      failedRequests,
      ...(axe ? { axe } : {}),
      ...(axeError ? { axeError } : {}),
      masks,
      ...(screenshotError ? { screenshotError } : {}),
    };
    await info.attach(`${CAPTURE_JSON}: ${name}`, {
      body: JSON.stringify(record),
      contentType: CAPTURE_CONTENT_TYPE,
    });
  });
}
