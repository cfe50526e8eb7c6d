import { expect, test } from '@playwright/test';
import { expectNoTokenInStorage, logIn, meWithCookie, PASSWORD, register, sessionCookie } from './helpers';

// Each spec file is its own client for the per-IP limits (log-in: 5 a minute).
const CLIENT = { 'X-Forwarded-For': '192.0.2.18' };
test.use({ extraHTTPHeaders: CLIENT });

const NEW_PASSWORD = 'e2e-changed-password-456';

test('logs in and out: the session is an HttpOnly cookie, never a stored token', async ({ page, playwright, baseURL }) => {
  const email = await register(page);
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/$/);
  expect(await sessionCookie(page), 'no session cookie after logging out').toBeUndefined();

  await logIn(page, email, PASSWORD);
  await expect(page).toHaveURL(/\/dashboard$/);
  const cookie = await sessionCookie(page);
  expect(cookie, 'session cookie after logging in').toBeDefined();
  expect(cookie?.httpOnly, 'HttpOnly').toBe(true);
  expect(cookie?.sameSite).toBe('Lax');
  expect(cookie?.path).toBe('/');
  const token = cookie?.value ?? '';
  expect(token).not.toBe('');
  await expectNoTokenInStorage(page, token);
  expect(await meWithCookie(playwright.request, baseURL, token), 'the cookie opens the API').toBe(200);

  // A reload keeps the session: the cookie alone carries it.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  await expectNoTokenInStorage(page, token);

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect.poll(async () => (await sessionCookie(page))?.value ?? null, { message: 'the cookie is cleared' }).toBeNull();
  await expectNoTokenInStorage(page, token);

  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard$/);
  await page.reload();
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard$/);
  expect(await meWithCookie(playwright.request, baseURL, token), 'the old cookie after logging out').toBe(401);
});

test('changing the password ends every other session; only the new password logs in', async ({ page, browser, playwright, baseURL }) => {
  const email = await register(page);
  const first = (await sessionCookie(page))?.value ?? '';

  // The same user signed in in a second browser.
  const other = await browser.newContext({ baseURL, extraHTTPHeaders: CLIENT, storageState: { cookies: [], origins: [] } });
  const otherPage = await other.newPage();
  await logIn(otherPage, email, PASSWORD);
  await expect(otherPage).toHaveURL(/\/dashboard$/);
  const second = (await sessionCookie(otherPage))?.value ?? '';
  expect(second).not.toBe('');
  expect(second).not.toBe(first);

  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Change password' })).toBeVisible();
  const form = page.getByRole('form', { name: 'Change password' });
  await form.getByLabel('Current password', { exact: true }).fill('not-the-password');
  await form.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByRole('alert')).toHaveText(/Your current password is not right\./);
  expect(await meWithCookie(playwright.request, baseURL, second), 'a wrong current password ends nothing').toBe(200);

  await form.getByLabel('Current password', { exact: true }).fill(PASSWORD);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByText('Password changed. Every other session has been signed out.')).toBeVisible();

  // The contract: every other session ends, the one that asked included; it carries on with the new one.
  const renewed = (await sessionCookie(page))?.value ?? '';
  expect(renewed, 'a new session cookie').not.toBe(first);
  expect(await meWithCookie(playwright.request, baseURL, first), 'the session that asked').toBe(401);
  expect(await meWithCookie(playwright.request, baseURL, second), 'the other browser').toBe(401);
  expect(await meWithCookie(playwright.request, baseURL, renewed), 'the new session').toBe(200);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expectNoTokenInStorage(page, renewed);

  await otherPage.goto('/dashboard');
  await expect(otherPage).toHaveURL(/\/login\?next=%2Fdashboard$/);
  await other.close();

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await logIn(page, email, PASSWORD);
  await expect(page.getByRole('alert')).toHaveText(/That email and password do not match\./);
  await expect(page).toHaveURL(/\/login$/);
  await page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
});
