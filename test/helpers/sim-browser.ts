// Drives the simulator's web frontends in Debian's Chromium (playwright-core): a simulator with the
// baseline on 127.0.0.1 and the target under its host names pinned to 127.0.0.2, as the shipped config
// has them, and a signed-in browser context per environment.
import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { SIM_DEMO } from '../../sim/identity.js';
import { type RunningSimulator, type SimListener, startSimulator } from '../../sim/index.js';
import type { FaultSpec } from '../../src/core/faults.js';
import { freePort } from './project.js';

export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
const TARGET_DOMAIN = 'k8s.sevensa.test';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // The target's host names reach 127.0.0.2, as the config's `resolve` pins them.
  `--host-resolver-rules=MAP *.${TARGET_DOMAIN} 127.0.0.2`,
];

export const WEB_SERVICES = [
  'keycloak',
  'rentguy-api',
  'rentguy-frontend',
  'psra-api',
  'psra-frontend',
  'wpcs-api',
  'wpcs-frontend',
  'trading-dashboard',
  'claude-chat',
];

export interface WebSim {
  sim: RunningSimulator;
  /** The URL a browser uses for a service of an environment. */
  url(environment: string, service: string): string;
}

/** Baseline on 127.0.0.1, target as `http://SERVICE.k8s.sevensa.test:PORT` on 127.0.0.2. */
export async function startWebSim(
  services: readonly string[] = WEB_SERVICES,
  faults: FaultSpec[] = [],
  environments: readonly string[] = ['baseline', 'target'],
): Promise<WebSim> {
  const listeners: SimListener[] = [];
  for (const environment of environments) {
    for (const service of services) {
      if (environment === 'target') {
        const port = await freePort('127.0.0.2');
        listeners.push({
          environment,
          service,
          host: '127.0.0.2',
          port,
          url: `http://${service}.${TARGET_DOMAIN}:${port}`,
        });
      } else {
        listeners.push({ environment, service, host: '127.0.0.1', port: await freePort() });
      }
    }
  }
  const sim = await startSimulator({ listeners, faults, seed: 42 });
  return {
    sim,
    url: (environment, service) => {
      const l = listeners.find((x) => x.environment === environment && x.service === service)!;
      return l.url ?? `http://${l.host}:${l.port}`;
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

/** A fixed, deterministic context: viewport, scale, locale, time zone, colour scheme, reduced motion. */
export function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    locale: 'en-GB',
    timezoneId: 'Europe/Amsterdam',
    colorScheme: 'light',
    reducedMotion: 'reduce',
  });
}

/**
 * Opens `url` and signs in on the Keycloak form it is sent to — unless Keycloak's session signs the
 * browser in silently — and waits to be back on the frontend (or on whatever page the sign-in ends on).
 */
export async function signIn(
  page: Page,
  url: string,
  credentials: { username: string; password: string } = SIM_DEMO.users[0],
): Promise<void> {
  await page.goto(url);
  if (!/\/realms\/sevensa\/login-actions\/authenticate\//.test(page.url())) return;
  await page.getByLabel('Username or email').fill(credentials.username);
  await page.getByLabel('Password').fill(credentials.password);
  await page.locator('#kc-login').click();
  await page.waitForURL((u) => u.origin === new URL(url).origin);
}

/** Waits for the page script to have rendered everything (`body[data-state=ready]`). */
export async function ready(page: Page): Promise<void> {
  await page.locator('body[data-state="ready"]').waitFor({ timeout: 15_000 });
}
