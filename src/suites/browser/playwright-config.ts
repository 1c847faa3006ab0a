// The Playwright config Cutover generates for a run, as text: one project per environment (its baseURL,
// host pins as Chromium's --host-resolver-rules, certificate trust), a login setup project per environment
// when the config signs in, Debian's Chromium through executablePath, and a tsconfig whose paths make a
// spec's `@playwright/test` and `cutover/browser` this installation's — so a team's specs run unchanged
// from any folder, with or without their own node_modules. Pure: the run writes the files.
import { join } from 'node:path';
import type { BrowserLogin, BrowserSettings, CaptureSettings } from './define.js';

export interface EnvironmentTarget {
  environment: string;
  baseURL: string;
  /** `host` or `host:port` → address, as the config's `resolve`. */
  pins: Readonly<Record<string, string>>;
  /** tls.insecure: certificate errors ignored (recorded by the smoke suite's TLS check, not here). */
  insecure: boolean;
  /** SHA-256 SPKI hashes (base64) of the environment's extra CAs, for Chromium to trust. */
  caSpki: readonly string[];
}

export interface ConfigPaths {
  specDir: string;
  /** Folder of the generated login setup spec. */
  loginDir: string;
  /** Where each environment's storage state is saved (a private temporary folder: it holds a session). */
  stateFile: (environment: string) => string;
  tsconfig: string;
}

export const LOGIN_SPEC = 'cutover-login.setup.ts';

/** Chromium's resolver rules for the config's pins: `MAP host:port addr:port`, `MAP host addr`. */
export function hostResolverRules(pins: Readonly<Record<string, string>>): string | undefined {
  const rules = Object.entries(pins).map(([host, addr]) => {
    const m = /^(.*):(\d+)$/.exec(host);
    const a = addr.includes(':') ? `[${addr}]` : addr;
    return m ? `MAP ${m[1]}:${m[2]} ${a}:${m[2]}` : `MAP ${host} ${a}`;
  });
  return rules.length ? rules.join(', ') : undefined;
}

export function launchArgs(env: EnvironmentTarget): string[] {
  const args = ['--disable-quic'];
  const rules = hostResolverRules(env.pins);
  if (rules) args.push(`--host-resolver-rules=${rules}`);
  if (env.caSpki.length) args.push(`--ignore-certificate-errors-spki-list=${env.caSpki.join(',')}`);
  return args;
}

export function setupProject(environment: string): string {
  return `setup-${environment}`;
}

export function playwrightConfig(
  envs: readonly EnvironmentTarget[],
  settings: BrowserSettings,
  paths: ConfigPaths,
): Record<string, unknown> {
  const projects: Record<string, unknown>[] = [];
  for (const env of envs) {
    const use = {
      baseURL: env.baseURL,
      ignoreHTTPSErrors: env.insecure,
      viewport: settings.viewport,
      deviceScaleFactor: 1,
      locale: 'en-US',
      timezoneId: 'UTC',
      colorScheme: 'light',
      reducedMotion: 'reduce',
      launchOptions: { executablePath: settings.executablePath, args: launchArgs(env) },
      trace: 'retain-on-failure',
      screenshot: 'only-on-failure',
    };
    if (settings.login) {
      projects.push({
        name: setupProject(env.environment),
        testDir: paths.loginDir,
        testMatch: LOGIN_SPEC,
        use,
        metadata: { cutoverLogin: { ...settings.login, storageState: paths.stateFile(env.environment) } },
      });
    }
    const capture: CaptureSettings = {
      environment: env.environment,
      loads: settings.loads,
      settle: settings.settle,
      settleTimeoutMs: settings.settleTimeoutMs,
      ...(settings.ready ? { ready: settings.ready } : {}),
      masks: settings.masks,
    };
    projects.push({
      name: env.environment,
      testDir: paths.specDir,
      use: settings.login ? { ...use, storageState: paths.stateFile(env.environment) } : use,
      ...(settings.login ? { dependencies: [setupProject(env.environment)] } : {}),
      metadata: { cutover: capture },
    });
  }
  return {
    // The spec folder is the root: file names in the report are relative to it, as in the team's own runs.
    testDir: paths.specDir,
    tsconfig: paths.tsconfig,
    timeout: settings.timeoutMs,
    retries: settings.retries,
    workers: settings.workers,
    fullyParallel: false,
    forbidOnly: true,
    // Goldens of the team's own toHaveScreenshot stay theirs: Cutover never writes them.
    updateSnapshots: 'none',
    reporter: [['json']],
    projects,
  };
}

/** The tsconfig that points a spec's imports at this installation. */
export function tsconfigFor(playwrightTestDir: string, cutoverBrowser: string): Record<string, unknown> {
  return {
    compilerOptions: {
      baseUrl: '.',
      paths: {
        '@playwright/test': [join(playwrightTestDir, 'index.mjs')],
        'cutover/browser': [cutoverBrowser],
      },
    },
  };
}

/**
 * The login setup spec: Keycloak's form, once per environment; the storage state it saves is what every
 * spec of that environment starts from. The password is read from the environment variable the config
 * names and never written anywhere but the browser's form.
 */
export function loginSpec(): string {
  return `import { expect, test } from '@playwright/test';

test('sign in through the login form', async ({ page, baseURL }) => {
  const login = test.info().project.metadata.cutoverLogin;
  const username = process.env[login.usernameEnv];
  const password = process.env[login.passwordEnv];
  if (!username) throw new Error('browser.login: environment variable ' + login.usernameEnv + ' is not set');
  if (!password) throw new Error('browser.login: environment variable ' + login.passwordEnv + ' is not set');
  await page.goto(login.path);
  await page.locator(login.usernameSelector).fill(username);
  await page.locator(login.passwordSelector).fill(password);
  await page.locator(login.submitSelector).click();
  // Signed in when the form has gone (Keycloak shows it again, with its error, when it refuses) and the
  // browser is back on the application's origin — after every redirect, so the cookies are all set —
  // and, when the config names one, the signed-in marker shows.
  await expect(page.locator(login.passwordSelector), 'the login form is still shown after signing in').toHaveCount(0);
  const origin = new URL(baseURL).origin;
  await page.waitForURL((url) => url.origin === origin);
  await page.waitForLoadState('load');
  if (login.loggedIn) await expect(page.locator(login.loggedIn)).toBeVisible();
  await page.context().storageState({ path: login.storageState });
});
`;
}

export type { BrowserLogin };
