// The simulator's web frontends are real pages behind a real OpenID Connect sign-in, driven here in
// Debian's Chromium on both environments.

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HAS_CHROMIUM,
  launchChromium,
  newContext,
  ready,
  signIn,
  startWebSim,
  type WebSim,
} from '../helpers/sim-browser.js';

let web: WebSim;
let browser: Browser;

describe.skipIf(!HAS_CHROMIUM)('simulated frontends in Chromium', () => {
  beforeAll(async () => {
    web = await startWebSim();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.sim.stop();
  });

  it.each(['baseline', 'target'])('signs in through Keycloak on the %s', async (env) => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await signIn(page, web.url(env, 'rentguy-frontend'));
    await ready(page);
    expect(await page.title()).toBe('Equipment · RentGuy');
    expect(errors).toEqual([]);
    expect(await page.getByTestId('user-name').textContent()).toBe('Cutover Tester');
    await context.close();
  });
});
