import { expect, test } from '@playwright/test';
import { logIn, meWithCookie, PASSWORD, register, sessionCookie } from './helpers';

// Each spec file is its own client for the per-IP limits.
test.use({ extraHTTPHeaders: { 'X-Forwarded-For': '192.0.2.20' } });

test('deletes the account once the password confirms it; it cannot log in again', async ({ page, playwright, baseURL }) => {
  const email = await register(page);
  const token = (await sessionCookie(page))?.value ?? '';

  await page.getByRole('link', { name: 'Settings' }).click();
  const form = page.getByRole('form', { name: 'Delete account' });
  const remove = form.getByRole('button', { name: 'Delete my account' });
  await expect(remove).toBeDisabled();

  await form.getByLabel('Password to confirm', { exact: true }).fill('not-the-password');
  await remove.click();
  await expect(form.getByRole('alert')).toHaveText(/That password is not right\./);
  expect(await meWithCookie(playwright.request, baseURL, token), 'still signed in after a wrong password').toBe(200);

  await form.getByLabel('Password to confirm', { exact: true }).fill(PASSWORD);
  await remove.click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Log in' })).toBeVisible();
  expect(await sessionCookie(page), 'the cookie is cleared').toBeUndefined();
  expect(await meWithCookie(playwright.request, baseURL, token), 'the old session cookie').toBe(401);

  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard$/);
  await logIn(page, email, PASSWORD);
  await expect(page.getByRole('alert')).toHaveText(/That email and password do not match\./);

  // The address is free again.
  await register(page, email);
  expect((await sessionCookie(page))?.value).not.toBe(token);
});
