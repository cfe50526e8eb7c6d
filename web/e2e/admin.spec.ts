import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { freshEmail } from './helpers';

// Each spec file is its own client (the server trusts the loopback proxy in the browser tests),
// so the per-IP limits (registration: 10 an hour) count each file's sign-ups on their own.
test.use({ extraHTTPHeaders: { 'X-Forwarded-For': '192.0.2.11' } });

const password = process.env.E2E_ADMIN_PASSWORD ?? '';

test('admin sees the waitlist, pages it and downloads the CSV', async ({ page, request }) => {
  test.skip(!password, 'E2E_ADMIN_PASSWORD is not set');
  const email = freshEmail('waitlisted');
  const signup = await request.post('/api/waitlist/signup', { data: { email } });
  expect(signup.status()).toBe(201);

  await page.goto('/admin');
  await page.getByLabel('Admin password').fill('definitely-not-it');
  await page.getByRole('button', { name: 'Open the waitlist' }).click();
  await expect(page.getByRole('alert')).toHaveText(/not right|Too many attempts/);

  await page.getByLabel('Admin password').fill(password);
  await page.getByRole('button', { name: 'Open the waitlist' }).click();
  await expect(page.getByRole('cell', { name: email })).toBeVisible();

  const api = await request.get('/api/admin/waitlist?page=1&limit=50', { headers: { 'X-Admin-Password': password } });
  const { total } = (await api.json()) as { total: number };
  await expect(page.getByTestId('waitlist-total')).toHaveText(new RegExp(`^${total.toLocaleString('en-US')} signups?`));

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const file = await (await download).path();
  expect(readFileSync(file, 'utf8')).toContain(email);

  // The password lives in this tab's session storage only.
  expect(await page.evaluate(() => window.localStorage.getItem('cgt.admin-password'))).toBeNull();
});
