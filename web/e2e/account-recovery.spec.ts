import { expect, test } from '@playwright/test';
import { logIn, mailLink, mailsTo, meWithCookie, PASSWORD, register, sessionCookie } from './helpers';

// Each spec file is its own client for the per-IP limits (password reset: 5 an hour).
const CLIENT = { 'X-Forwarded-For': '192.0.2.19' };
test.use({ extraHTTPHeaders: CLIENT });

const NEW_PASSWORD = 'e2e-reset-password-789';

test('resets a forgotten password through the mailed link, which works once', async ({ page, browser, request, playwright, baseURL }) => {
  const email = await register(page);
  const earlier = (await sessionCookie(page))?.value ?? '';

  // Another browser, where the password is forgotten.
  const context = await browser.newContext({ baseURL, extraHTTPHeaders: CLIENT, storageState: { cookies: [], origins: [] } });
  const p = await context.newPage();
  await p.goto('/login');
  await p.getByRole('link', { name: 'Forgot password?' }).click();
  await expect(p.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
  await p.getByLabel('Email', { exact: true }).fill(email);
  await p.getByRole('button', { name: 'Send reset link' }).click();
  await expect(p.getByText('If that address has an account, a reset link is on its way.')).toBeVisible();

  const link = await mailLink(request, baseURL, email, 'Reset your password', '/reset-password');
  await p.goto(link);
  await expect(p.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await p.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await p.getByRole('button', { name: 'Set password' }).click();
  await expect(p).toHaveURL(/\/dashboard$/);
  await expect(p.getByRole('button', { name: 'Log out' })).toBeVisible();

  // Every earlier session ended.
  expect(await meWithCookie(playwright.request, baseURL, earlier), 'the session from before the reset').toBe(401);
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard$/);

  await p.getByRole('button', { name: 'Log out' }).click();
  await expect(p).toHaveURL(/\/$/);
  await logIn(p, email, PASSWORD);
  await expect(p.getByRole('alert')).toHaveText(/That email and password do not match\./);
  await p.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
  await p.getByRole('button', { name: 'Log in' }).click();
  await expect(p).toHaveURL(/\/dashboard$/);
  await p.getByRole('button', { name: 'Log out' }).click();
  await expect(p).toHaveURL(/\/$/);

  // The same link a second time is refused, and changes nothing.
  await p.goto(link);
  await p.getByLabel('New password', { exact: true }).fill('e2e-another-password-000');
  await p.getByRole('button', { name: 'Set password' }).click();
  await expect(p.getByRole('alert')).toHaveText(/This link is invalid, already used or expired\. Ask for a new one\./);
  await expect(p.getByRole('link', { name: 'Ask for a new link' })).toBeVisible();
  await expect(p).toHaveURL(/\/reset-password\?token=/);
  expect(await sessionCookie(p), 'no session from a used link').toBeUndefined();
  expect(await mailsTo(request, email, 'Reset your password'), 'one reset mail').toHaveLength(1);
  await context.close();
});

test('confirms the address through the mailed link, once', async ({ page, request, baseURL }) => {
  const email = await register(page);
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByText(/not confirmed yet/)).toBeVisible();

  const link = await mailLink(request, baseURL, email, 'Confirm your email address', '/verify-email');
  await page.goto(link);
  await expect(page.getByText(`${email} is confirmed.`)).toBeVisible();
  await page.goto('/settings');
  await expect(page.getByText(`Signed in as ${email}.`)).toBeVisible();
  await expect(page.getByText(/not confirmed yet/)).toHaveCount(0);

  await page.goto(link);
  await expect(page.getByRole('alert')).toHaveText(/This link is invalid, already used or expired/);
});
