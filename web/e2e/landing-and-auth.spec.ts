import { expect, test } from '@playwright/test';
import { freshEmail, hasNoHorizontalScroll, PASSWORD, register } from './helpers';

// Each spec file is its own client (the server trusts the loopback proxy in the browser tests),
// so the per-IP limits (registration: 10 an hour) count each file's sign-ups on their own.
test.use({ extraHTTPHeaders: { 'X-Forwarded-For': '192.0.2.16' } });

test('signs up on the waitlist, then is told it is already there', async ({ page }) => {
  const email = freshEmail('fan');
  await page.goto('/');
  await expect(page).toHaveTitle(/Creator Growth Tool/);

  await page.getByLabel('Your email').fill(email);
  await page.getByRole('button', { name: 'Join the waitlist' }).click();
  await expect(page.getByText("You're on the waitlist!")).toBeVisible();

  await page.getByLabel('Your email').fill(email);
  await page.getByRole('button', { name: 'Join the waitlist' }).click();
  await expect(page.getByText("You're already on the waitlist.")).toBeVisible();
});

test('registers, logs out, is sent to log in from /dashboard and comes back', async ({ page }) => {
  const email = await register(page);
  await expect(page.getByRole('heading', { name: 'Connect your Instagram account' })).toBeVisible();

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/$/);

  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard$/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toHaveText(/That email and password do not match\./);

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('button', { name: 'Connect Instagram' })).toBeVisible();
});

test('refuses a second account with the same email', async ({ page }) => {
  const email = await register(page);
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.goto('/register');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('alert')).toHaveText(/already exists/);
});

test('shows the not-found page', async ({ page }) => {
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'This page does not exist' })).toBeVisible();
});

test('fits a 375 px phone screen', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Join the waitlist' })).toBeVisible();
  expect(await hasNoHorizontalScroll(page)).toBe(true);
  await page.goto('/register');
  await expect(page.getByRole('button', { name: 'Create account' })).toBeVisible();
  expect(await hasNoHorizontalScroll(page)).toBe(true);
  await context.close();
});
