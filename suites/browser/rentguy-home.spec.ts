// RentGuy's frontend as a user first meets it, written as any Playwright spec is; `capture` marks the
// point whose screenshot, console, requests, timings and accessibility Cutover compares across the
// environments (outside Cutover it does nothing).
import { expect, test } from '@playwright/test';
import { capture } from 'cutover/browser';

test('RentGuy home page', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('h1')).toBeVisible();
  await capture(page, 'rentguy home');
});
