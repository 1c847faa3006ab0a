// What one `capture(page, name)` observed in one environment, as the spec-side helper attaches it to the
// test (a JSON attachment in Playwright's report) and the suite reads it back: the schema is the contract
// between the two processes, so a record from another version is refused field by field, not misread.
import { z } from 'zod';

/** The attachment names: the capture's figures (JSON) and its screenshot (PNG file). */
export const CAPTURE_JSON = 'cutover-capture';
export const CAPTURE_PNG = 'cutover-screenshot';
export const CAPTURE_CONTENT_TYPE = 'application/vnd.cutover.capture+json';

/** One page load's timings in ms (navigation timing and paint), and its cumulative layout shift. */
export const loadTimingSchema = z.object({
  ttfb: z.number(),
  dcl: z.number(),
  load: z.number(),
  /** 0 when the page painted no contentful element the observer saw. */
  lcp: z.number(),
  cls: z.number(),
});
export type LoadTiming = z.output<typeof loadTimingSchema>;

export const failedRequestSchema = z.object({
  url: z.string(),
  method: z.string(),
  /** The HTTP status (≥ 400), or absent when the request failed without an answer. */
  status: z.number().optional(),
  /** net::ERR_… when there was no answer. */
  error: z.string().optional(),
  resourceType: z.string(),
});
export type FailedRequest = z.output<typeof failedRequestSchema>;

export const axeViolationSchema = z.object({
  id: z.string(),
  impact: z.string(),
  help: z.string(),
  /** The elements violating the rule, as axe's selectors. */
  targets: z.array(z.string()),
});
export type AxeViolation = z.output<typeof axeViolationSchema>;

export const captureSchema = z.object({
  page: z.string(),
  /** The page's URL, as loaded in this environment. */
  url: z.string(),
  environment: z.string(),
  browserVersion: z.string(),
  loads: z.array(loadTimingSchema),
  consoleErrors: z.array(z.string()),
  failedRequests: z.array(failedRequestSchema),
  /** undefined when axe could not run (its reason in axeError). */
  axe: z.array(axeViolationSchema).optional(),
  axeError: z.string().optional(),
  /** The selectors masked in the screenshot. */
  masks: z.array(z.string()),
  screenshotError: z.string().optional(),
});
export type Capture = z.output<typeof captureSchema>;

/** A file-name-safe form of a page name. */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'page'
  );
}
