// One page as the two environments showed it, compared: the screenshots pixel by pixel (pixelmatch 8,
// OKLab distance, anti-aliasing not counted), and what the target adds — console errors, failed requests,
// accessibility violations. Pure: buffers and captures in, differences out.
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import type { AxeViolation, Capture, FailedRequest } from './capture-model.js';

export interface VisualDiff {
  width: number;
  height: number;
  /** Pixels that differ, counting every pixel outside the smaller image when the sizes differ. */
  diffPixels: number;
  ratio: number;
  /** "1280×900 on the baseline, 1280×960 on the target", when the sizes differ. */
  sizeChange?: string;
  /** The diff image (PNG): differing pixels red over a faded baseline. */
  diffPng: Buffer;
}

function padded(img: PNG, width: number, height: number): Uint8Array {
  if (img.width === width && img.height === height) return img.data;
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < img.height; y++)
    out.set(img.data.subarray(y * img.width * 4, (y + 1) * img.width * 4), y * width * 4);
  return out;
}

/** Throws when a buffer is not a PNG: the caller records that as the visual check's failure. */
export function compareScreenshots(baseline: Buffer, target: Buffer, threshold: number): VisualDiff {
  const a = PNG.sync.read(baseline);
  const b = PNG.sync.read(target);
  const width = Math.max(a.width, b.width);
  const height = Math.max(a.height, b.height);
  const diff = new PNG({ width, height });
  // Padding with transparent pixels makes the rows one image has and the other lacks count as different.
  const diffPixels = pixelmatch(
    padded(a, width, height),
    padded(b, width, height),
    diff.data,
    width,
    height,
    {
      threshold,
    },
  );
  const sizeChange =
    a.width !== b.width || a.height !== b.height
      ? `${a.width}×${a.height} on the baseline, ${b.width}×${b.height} on the target`
      : undefined;
  return {
    width,
    height,
    diffPixels,
    ratio: diffPixels / (width * height),
    ...(sizeChange ? { sizeChange } : {}),
    diffPng: PNG.sync.write(diff),
  };
}

/** A URL without its origin: the environments' host names differ by design, their paths should not. */
export function withoutOrigin(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^/\s"')]+/gi, '');
}

/**
 * Where a capture was taken, as its environment's application sees it: the path on the application's
 * origin, or the foreign origin and path (a sign-in page at Keycloak, an error host). The query is left
 * out: a sign-in redirect's `state` and `nonce` differ on every load.
 */
export interface PageLocation {
  onApp: boolean;
  where: string;
}

export function pageLocation(url: string, baseURL: string): PageLocation {
  try {
    const u = new URL(url);
    const onApp = u.origin === new URL(baseURL).origin;
    return { onApp, where: onApp ? u.pathname : `${u.origin}${u.pathname}` };
  } catch {
    return { onApp: false, where: url };
  }
}

/**
 * Why two captures of one page cannot be taken as the same page: the target's is elsewhere (a redirect to
 * a sign-in, an error page), or both are away from the application, so their likeness says nothing about
 * it. undefined when both are at the same path of their application.
 */
export function locationProblem(
  page: string,
  baseline: PageLocation,
  target: PageLocation,
): { kind: 'differs' | 'off-app'; reason: string } | undefined {
  if (baseline.onApp !== target.onApp || (baseline.onApp && baseline.where !== target.where))
    return {
      kind: 'differs',
      reason: `page '${page}' is at ${target.where} on the target but at ${baseline.where} on the baseline${target.onApp ? '' : ' (redirected away from the application: a sign-in?)'}`,
    };
  if (!baseline.onApp)
    return {
      kind: 'off-app',
      reason: `page '${page}' was captured away from the application on both sides (${target.where}; a sign-in page?): its likeness says nothing about the frontend — sign in first (browser.login) or capture after reaching the application`,
    };
  return undefined;
}

/** What the target has that the baseline has not, counting repeats: ['a','a'] against ['a'] adds one 'a'. */
function added<T>(baseline: readonly T[], target: readonly T[], key: (x: T) => string): T[] {
  const left = new Map<string, number>();
  for (const x of baseline) left.set(key(x), (left.get(key(x)) ?? 0) + 1);
  const out: T[] = [];
  for (const x of target) {
    const n = left.get(key(x)) ?? 0;
    if (n > 0) left.set(key(x), n - 1);
    else out.push(x);
  }
  return out;
}

export function consoleAdded(baseline: Capture, target: Capture): string[] {
  return added(baseline.consoleErrors, target.consoleErrors, withoutOrigin);
}

export function requestKey(r: FailedRequest): string {
  return `${r.method} ${withoutOrigin(r.url) || '/'} → ${r.status ?? r.error}`;
}

export function requestsAdded(baseline: Capture, target: Capture): FailedRequest[] {
  return added(baseline.failedRequests, target.failedRequests, requestKey);
}

export interface AxeAdded {
  id: string;
  impact: string;
  help: string;
  baseline: number;
  target: number;
  /** Elements the target has in violation and the baseline has not. */
  targets: string[];
}

/** Rules (by id and impact) with more violating elements on the target than on the baseline. */
export function axeAdded(baseline: readonly AxeViolation[], target: readonly AxeViolation[]): AxeAdded[] {
  const key = (v: AxeViolation) => `${v.id} ${v.impact}`;
  const before = new Map(baseline.map((v) => [key(v), v]));
  const out: AxeAdded[] = [];
  for (const v of target) {
    const b = before.get(key(v));
    const had = b?.targets.length ?? 0;
    if (v.targets.length <= had) continue;
    const known = new Set(b?.targets ?? []);
    out.push({
      id: v.id,
      impact: v.impact,
      help: v.help,
      baseline: had,
      target: v.targets.length,
      targets: v.targets.filter((t) => !known.has(t)),
    });
  }
  return out;
}
