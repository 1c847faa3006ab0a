// The browser suite's results as checks and evidence: one `spec` check per test and environment (flaky
// ones named), the login, and per captured page the target's parity with the baseline — `visual`,
// `console`, `network`, `a11y` — each failure naming the page, the environment and what differs; page
// timings as metric evidence (browser_ttfb … browser_cls) that the gates' relative criteria judge.
import type { MetricEvidence } from '../../core/evidence.js';
import { createHistogram, encodeHistogram, recordMs } from '../../core/histogram.js';
import type { CheckResult } from '../../core/model.js';
import type { Capture, LoadTiming } from './capture-model.js';
import {
  type AxeAdded,
  axeAdded,
  consoleAdded,
  requestKey,
  requestsAdded,
  type VisualDiff,
} from './compare.js';
import type { BrowserSettings } from './define.js';
import type { TestOutcome } from './results.js';

export const SUITE = 'browser';

/** A check before the suite, environment, service and time are stamped on it. */
export type BrowserCheck = Pick<CheckResult, 'check' | 'status' | 'reason' | 'data'>;

const MAX_LISTED = 3;

function list(items: readonly string[]): string {
  const more = items.length - MAX_LISTED;
  return items.slice(0, MAX_LISTED).join('; ') + (more > 0 ? `; and ${more} more` : '');
}

export function specCheck(t: TestOutcome, links: Record<string, string>): BrowserCheck {
  const what = `${t.file} › ${t.title}`;
  const said =
    t.status === 'pass'
      ? t.flaky
        ? `${what}: passed, ${t.reason}`
        : `${what}: passed${t.attempts > 1 ? ` (${t.attempts} tries)` : ''}`
      : t.status === 'skip'
        ? `${what}: skipped (${t.reason})`
        : `${what}: ${t.reason}`;
  return {
    check: 'spec',
    status: t.status,
    reason: said,
    data: {
      file: t.file,
      title: t.title,
      attempts: t.attempts,
      flaky: t.flaky,
      durationMs: t.durationMs,
      ...links,
    },
  };
}

export function loginCheck(t: TestOutcome | undefined, links: Record<string, string>): BrowserCheck {
  if (!t) return { check: 'login', status: 'fail', reason: 'the login setup did not run' };
  return {
    check: 'login',
    status: t.status === 'pass' ? 'pass' : 'fail',
    reason:
      t.status === 'pass'
        ? `signed in through the login form${t.flaky ? ` (${t.reason})` : ''}`
        : `sign-in failed: ${t.reason}`,
    data: { attempts: t.attempts, ...links },
  };
}

/** The four parity checks of a page captured on one side only: no comparison, so no pass. */
export function uncomparedChecks(page: string, missingOn: string, presentOn: string): BrowserCheck[] {
  const reason = `page '${page}' was captured on ${presentOn} but not on ${missingOn}: nothing to compare`;
  return ['visual', 'console', 'network', 'a11y'].map((check) => ({
    check,
    status: 'fail' as const,
    reason,
    data: { page },
  }));
}

export function visualCheck(
  page: string,
  diff: VisualDiff | string,
  tolerance: BrowserSettings['tolerance'],
  links: Record<string, string>,
): BrowserCheck {
  if (typeof diff === 'string')
    return { check: 'visual', status: 'fail', reason: `page '${page}': ${diff}`, data: { page, ...links } };
  const data = { page, diffPixels: diff.diffPixels, ratio: diff.ratio, ...links };
  const pct = `${(diff.ratio * 100).toFixed(diff.ratio < 0.001 ? 4 : 2)} %`;
  if (diff.sizeChange)
    return {
      check: 'visual',
      status: 'fail',
      reason: `page '${page}' differs on the target: the page is ${diff.sizeChange}; ${diff.diffPixels} pixels (${pct}) differ`,
      data,
    };
  if (diff.ratio > tolerance.maxDiffRatio)
    return {
      check: 'visual',
      status: 'fail',
      reason: `page '${page}' differs on the target: ${diff.diffPixels} of ${diff.width}×${diff.height} pixels (${pct}) differ, ${tolerance.maxDiffRatio * 100} % allowed`,
      data,
    };
  return {
    check: 'visual',
    status: 'pass',
    reason: `page '${page}' looks the same (${diff.diffPixels} pixels differ, ${tolerance.maxDiffRatio * 100} % allowed)`,
    data,
  };
}

export function consoleCheck(page: string, baseline: Capture, target: Capture): BrowserCheck {
  const extra = consoleAdded(baseline, target);
  const data = { page, baseline: baseline.consoleErrors.length, target: target.consoleErrors.length };
  return extra.length
    ? {
        check: 'console',
        status: 'fail',
        reason: `page '${page}' logs ${extra.length} console error(s) on the target the baseline does not: ${list(extra.map((e) => JSON.stringify(e.slice(0, 200))))}`,
        data,
      }
    : {
        check: 'console',
        status: 'pass',
        reason: `page '${page}': no console error the baseline does not have (${target.consoleErrors.length} on the target)`,
        data,
      };
}

export function networkCheck(page: string, baseline: Capture, target: Capture): BrowserCheck {
  const extra = requestsAdded(baseline, target);
  const data = { page, baseline: baseline.failedRequests.length, target: target.failedRequests.length };
  return extra.length
    ? {
        check: 'network',
        status: 'fail',
        reason: `page '${page}' has ${extra.length} failed request(s) on the target the baseline does not: ${list([...new Set(extra.map(requestKey))])}`,
        data,
      }
    : {
        check: 'network',
        status: 'pass',
        reason: `page '${page}': no failed request the baseline does not have (${target.failedRequests.length} on the target)`,
        data,
      };
}

function axeText(a: AxeAdded): string {
  return `${a.id} (${a.impact}: ${a.help}) on ${a.target} element(s), ${a.baseline} on the baseline${a.targets.length ? `: ${a.targets.slice(0, 2).join(', ')}` : ''}`;
}

export function a11yCheck(page: string, baseline: Capture, target: Capture): BrowserCheck {
  if (!baseline.axe || !target.axe) {
    const why = !target.axe ? `on the target: ${target.axeError}` : `on the baseline: ${baseline.axeError}`;
    return {
      check: 'a11y',
      status: 'fail',
      reason: `page '${page}': axe-core did not run ${why}`,
      data: { page },
    };
  }
  const extra = axeAdded(baseline.axe, target.axe);
  const data = { page, baseline: baseline.axe.length, target: target.axe.length };
  return extra.length
    ? {
        check: 'a11y',
        status: 'fail',
        reason: `page '${page}' has accessibility violations on the target the baseline does not: ${list(extra.map(axeText))}`,
        data,
      }
    : {
        check: 'a11y',
        status: 'pass',
        reason: `page '${page}': no accessibility violation the baseline does not have (${target.axe.length} rule(s) violated on both)`,
        data,
      };
}

const TIMINGS: ReadonlyArray<[string, keyof LoadTiming]> = [
  ['browser_ttfb', 'ttfb'],
  ['browser_dcl', 'dcl'],
  ['browser_load', 'load'],
  ['browser_lcp', 'lcp'],
  ['browser_cls', 'cls'],
];

/** One trend per timing, page and environment; a page that painted nothing the observer saw has no LCP. */
export function timingEvidence(service: string, c: Capture, at: string): MetricEvidence[] {
  const out: MetricEvidence[] = [];
  for (const [name, field] of TIMINGS) {
    const values = c.loads
      .map((l) => l[field])
      .filter((v) => Number.isFinite(v) && (field === 'cls' || v > 0));
    if (values.length === 0) continue;
    const h = createHistogram();
    for (const v of values) recordMs(h, v);
    out.push({
      kind: 'metric',
      suite: SUITE,
      environment: c.environment,
      name,
      type: 'trend',
      tags: { service, page: c.page },
      at,
      histogram: encodeHistogram(h),
    });
  }
  return out;
}
