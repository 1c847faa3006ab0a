// The browser suite's user-facing side: the config's `browser` section. Specs are plain @playwright/test
// files in `specDir`, run by Playwright's own runner once per environment (one project each, its baseURL
// the frontend `service`'s URL there); `capture(page, name)` from 'cutover/browser' marks the points whose
// screenshot, console, network, timings and accessibility are compared across the environments.
import { z } from 'zod';

const SERVICE_ID = /^[a-z][a-z0-9-]*$/;

/** Keycloak's login form (the default themes' field ids), signed in once per environment. */
export const browserLoginSchema = z.strictObject({
  /** Environment variables holding the user's name and password (never the values themselves). */
  usernameEnv: z.string().min(1),
  passwordEnv: z.string().min(1),
  /** Where the login starts, relative to the baseURL: a page that redirects to Keycloak. @default "/" */
  path: z.string().startsWith('/', 'expected a path starting with "/"').default('/'),
  /** The login form's fields and button. @default Keycloak's #username, #password, #kc-login */
  usernameSelector: z.string().min(1).default('#username'),
  passwordSelector: z.string().min(1).default('#password'),
  submitSelector: z.string().min(1).default('#kc-login'),
  /** A selector visible once signed in; without one, being back on the baseURL's origin is enough. */
  loggedIn: z.string().min(1).optional(),
});

export const browserSchema = z
  .strictObject({
    /** The folder of @playwright/test specs, relative to the config file. @default "suites/browser" */
    specDir: z.string().min(1).default('suites/browser'),
    /**
     * The frontend whose URL in each environment is the specs' baseURL. @default the one service of
     * tier `frontend`, when there is exactly one
     */
    service: z.string().regex(SERVICE_ID, 'expected a service id such as rentguy-frontend').optional(),
    /** How different two screenshots of one page may be. */
    tolerance: z
      .strictObject({
        /** pixelmatch's per-pixel colour threshold (OKLab distance, 0..1). @default 0.1 */
        threshold: z.number().min(0).max(1).default(0.1),
        /** Share of the page's pixels that may differ (0..1). @default 0: any differing pixel fails */
        maxDiffRatio: z.number().min(0).max(1).default(0),
      })
      .prefault({}),
    /** Selectors masked in every screenshot (dynamic regions: clocks, ids); a capture can add its own. */
    masks: z.array(z.string().min(1)).default([]),
    /** Page loads per capture: each load's timings are one sample (the wave gates' median needs 8). @default 8 */
    loads: z.number().int().min(1).max(50).default(8),
    /**
     * When a load's timings are read: `networkidle` — after the load event, once the network has been
     * quiet for 500 ms (at most `settleTimeoutMs`), as Lighthouse waits, so media and errors an app
     * brings in after `load` (a late hero image, the largest paint) are in; `load` — at the load event
     * (faster, but blind to anything later). @default "networkidle"
     */
    settle: z.enum(['networkidle', 'load']).default('networkidle'),
    /**
     * A selector the application shows once a page is complete (`body[data-state=ready]`): each load's
     * timings are read once it is there (within `settleTimeoutMs`), then after a quiet network. More
     * exact than the network alone for an app that starts requests late; a capture can name its own.
     */
    ready: z.string().min(1).optional(),
    /** The most a load waits for the network to go quiet; an app that polls pays it on every load. @default 5000 */
    settleTimeoutMs: z.number().int().min(500).max(60_000).default(5000),
    /** Playwright shards per environment (`--shard i/N`), run side by side and merged. @default 1 */
    shards: z.number().int().min(1).max(16).default(1),
    /** Playwright workers per shard. @default 1 */
    workers: z.number().int().min(1).max(16).default(1),
    /** Playwright retries per test; a test that passes on a retry is recorded as flaky. @default 0 */
    retries: z.number().int().min(0).max(5).default(0),
    /** Per-test timeout in milliseconds. @default 30000 */
    timeoutMs: z.number().int().min(1000).max(600_000).default(30_000),
    /** The whole Playwright run's limit per shard, in milliseconds. @default 600000 */
    runTimeoutMs: z.number().int().min(5000).max(7_200_000).default(600_000),
    /** The Chromium to drive (Playwright's own downloads are not used). @default "/usr/bin/chromium" */
    executablePath: z.string().min(1).default('/usr/bin/chromium'),
    viewport: z
      .strictObject({
        width: z.number().int().min(200).max(4000).default(1280),
        height: z.number().int().min(200).max(4000).default(720),
      })
      .prefault({}),
    /** Sign in through Keycloak once per environment; the specs start signed in (storage state). */
    login: browserLoginSchema.optional(),
  })
  .prefault({});

export type BrowserSettings = z.output<typeof browserSchema>;
export type BrowserLogin = z.output<typeof browserLoginSchema>;

/** What the suite hands the spec-side `capture` through each project's metadata. */
export interface CaptureSettings {
  environment: string;
  loads: number;
  settle: BrowserSettings['settle'];
  settleTimeoutMs: number;
  ready?: string;
  masks: string[];
}

/** What a caller hands the browser suite beyond the config. */
export interface BrowserOptions {
  /** Values that win over the process environment (the demo's simulated realm credentials for the login). */
  env?: Record<string, string>;
}
