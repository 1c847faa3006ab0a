// One page across the environments: screenshots compared pixel by pixel, and what the target adds in
// console errors, failed requests and accessibility violations — the environments' host names aside.
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { Capture } from '../../src/suites/browser/capture-model.js';
import {
  axeAdded,
  compareScreenshots,
  consoleAdded,
  locationProblem,
  pageLocation,
  requestsAdded,
  withoutOrigin,
} from '../../src/suites/browser/compare.js';
import { a11yCheck, visualCheck } from '../../src/suites/browser/evidence.js';

function png(width: number, height: number, block?: { x: number; y: number; size: number }): Buffer {
  const img = new PNG({ width, height });
  img.data.fill(255);
  if (block)
    for (let y = block.y; y < block.y + block.size; y++)
      for (let x = block.x; x < block.x + block.size; x++) {
        const i = (y * width + x) * 4;
        img.data[i] = img.data[i + 1] = img.data[i + 2] = 0;
      }
  return PNG.sync.write(img);
}

function capture(side: string, over: Partial<Capture> = {}): Capture {
  return {
    page: 'bookings list',
    url: `http://${side}.example:8080/bookings`,
    environment: side,
    browserVersion: '156',
    loads: [],
    consoleErrors: [],
    failedRequests: [],
    axe: [],
    masks: [],
    ...over,
  };
}

const tolerance = { threshold: 0.1, maxDiffRatio: 0 };

describe('screenshots', () => {
  it('finds no difference between equal images and counts a changed block', () => {
    expect(compareScreenshots(png(40, 20), png(40, 20), 0.1).diffPixels).toBe(0);
    const diff = compareScreenshots(png(40, 20), png(40, 20, { x: 5, y: 5, size: 10 }), 0.1);
    expect(diff.diffPixels).toBe(100);
    expect(diff.ratio).toBeCloseTo(100 / 800);
    expect(PNG.sync.read(diff.diffPng).width).toBe(40);
    const check = visualCheck('bookings list', diff, tolerance, { diffImage: 'browser/pages/x/diff.png' });
    expect(check.status).toBe('fail');
    expect(check.reason).toBe(
      "page 'bookings list' differs on the target: 100 of 40×20 pixels (12.50 %) differ, 0 % allowed",
    );
    expect(check.data?.diffImage).toBe('browser/pages/x/diff.png');
    expect(visualCheck('bookings list', diff, { threshold: 0.1, maxDiffRatio: 0.2 }, {}).status).toBe('pass');
  });

  it('names a page that grew (layout shifted down) and counts the rows only one side has', () => {
    const diff = compareScreenshots(png(40, 20), png(40, 30), 0.1);
    expect(diff.sizeChange).toBe('40×20 on the baseline, 40×30 on the target');
    expect(diff.diffPixels).toBe(400);
    expect(visualCheck('home', diff, { threshold: 0.1, maxDiffRatio: 1 }, {}).status).toBe('fail');
  });
});

describe('what the target adds', () => {
  it("compares console errors without the environments' origins, counting repeats", () => {
    expect(withoutOrigin('GET https://app.k8s.test:443/a.css failed')).toBe('GET /a.css failed');
    const b = capture('baseline', { consoleErrors: ['x at http://baseline.example:8080/app.js:1'] });
    const t = capture('target', {
      consoleErrors: ['x at http://target.example:8080/app.js:1', 'bookings: 500'],
    });
    expect(consoleAdded(b, t)).toEqual(['bookings: 500']);
  });

  it('names failed requests by method, path and status', () => {
    const b = capture('baseline');
    const t = capture('target', {
      failedRequests: [
        {
          url: 'http://target.example:8080/theme.css',
          method: 'GET',
          status: 404,
          resourceType: 'stylesheet',
        },
      ],
    });
    expect(requestsAdded(b, t)).toHaveLength(1);
    expect(requestsAdded(t, t)).toEqual([]);
  });

  it('counts accessibility violations by rule and impact, naming the new elements', () => {
    const label = { id: 'label', impact: 'critical', help: 'Form elements must have labels' };
    const added = axeAdded([{ ...label, targets: ['#q'] }], [{ ...label, targets: ['#q', '#email'] }]);
    expect(added).toEqual([{ ...label, baseline: 1, target: 2, targets: ['#email'] }]);
    // The same rule at another impact is another finding.
    expect(
      axeAdded([{ ...label, targets: ['#q'] }], [{ ...label, impact: 'serious', targets: ['#q'] }]),
    ).toHaveLength(1);
    const check = a11yCheck(
      'bookings list',
      capture('baseline', { axe: [] }),
      capture('target', { axe: [{ ...label, targets: ['#email'] }] }),
    );
    expect(check.status).toBe('fail');
    expect(check.reason).toContain(
      'label (critical: Form elements must have labels) on 1 element(s), 0 on the baseline: #email',
    );
  });

  it('fails accessibility parity when axe could not run on a side: no comparison is no pass', () => {
    const check = a11yCheck('home', capture('baseline'), {
      ...capture('target', { axeError: 'boom' }),
      axe: undefined,
    });
    expect(check.status).toBe('fail');
    expect(check.reason).toContain('axe-core did not run on the target: boom');
  });
});

describe('where a page was captured', () => {
  const base = 'http://127.0.0.1:17109';
  const target = 'http://rentguy-frontend.k8s.sevensa.test:17209';
  const signIn = 'http://127.0.0.2:17202/realms/sevensa/protocol/openid-connect/auth?state=ab12&nonce=9f';

  it('takes the same path of each application as the same page, queries aside', () => {
    const b = pageLocation(`${base}/bookings?page=2`, base);
    const t = pageLocation(`${target}/bookings?page=3`, target);
    expect(b).toEqual({ onApp: true, where: '/bookings' });
    expect(locationProblem('bookings', b, t)).toBeUndefined();
  });

  it('fails a target that shows a sign-in page where the baseline showed the application', () => {
    const problem = locationProblem('home', pageLocation(`${base}/`, base), pageLocation(signIn, target));
    expect(problem?.kind).toBe('differs');
    expect(problem?.reason).toContain('http://127.0.0.2:17202/realms/sevensa/protocol/openid-connect/auth');
    expect(problem?.reason).toContain('a sign-in?');
    expect(problem?.reason).not.toContain('state=');
  });

  it('fails a page at another path of the application', () => {
    const problem = locationProblem(
      'home',
      pageLocation(`${base}/`, base),
      pageLocation(`${target}/error`, target),
    );
    expect(problem).toMatchObject({ kind: 'differs' });
  });

  it('will not vouch for the frontend when both sides were captured on the sign-in page', () => {
    const other = signIn.replace('127.0.0.2', '127.0.0.1');
    const problem = locationProblem('home', pageLocation(other, base), pageLocation(signIn, target));
    expect(problem?.kind).toBe('off-app');
    expect(problem?.reason).toContain('browser.login');
  });
});
