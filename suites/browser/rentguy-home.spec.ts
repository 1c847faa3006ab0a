// RentGuy's frontend as a user meets it after signing in (the suite's login setup signs in through
// Keycloak first), written as any Playwright spec is. Each `capture` marks a point whose screenshot,
// console, requests, timings and accessibility Cutover compares across the environments (outside
// Cutover it does nothing). The assertions make sure the page is RentGuy's, loaded, not a sign-in form:
// two sign-in pages look alike and would say nothing about the frontend.
import { expect, test } from '@playwright/test';
import { capture } from 'cutover/browser';

test('RentGuy home page: the equipment catalogue', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Equipment catalogue' })).toBeVisible();
  await expect(page.locator('main')).toHaveAttribute('aria-busy', 'false');
  await expect(page.getByTestId('equipment').locator('tbody tr').first()).toBeVisible();
  await capture(page, 'rentguy home');
});

test('RentGuy bookings', async ({ page }) => {
  await page.goto('/bookings');
  await expect(page.getByRole('heading', { level: 1, name: 'Bookings' })).toBeVisible();
  await expect(page.locator('main')).toHaveAttribute('aria-busy', 'false');
  // Bookings made during a run differ between the environments: the region is masked (data-dynamic).
  await capture(page, 'rentguy bookings', { mask: ['[data-dynamic]'] });
});
