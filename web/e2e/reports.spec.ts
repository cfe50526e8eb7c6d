import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { authHeaders, connectInstagram, disconnectQuietly, register, SANDBOX, tokenOf, waitForSync } from './helpers';

// Each spec file is its own client (the server trusts the loopback proxy in the browser tests),
// so the per-IP limits (registration: 10 an hour) count each file's sign-ups on their own.
test.use({ extraHTTPHeaders: { 'X-Forwarded-For': '192.0.2.17' } });

const HEADER =
  'posted_at,ig_post_id,media_type,media_product_type,permalink,caption,like_count,comments_count,views,reach,saved,shares,total_interactions';

// One creator for the whole file, in order: registrations are limited to 10 an hour per
// client IP, and the rest of the suite uses most of them.
test.describe.configure({ mode: 'serial' });

let page: Page;
let email = '';
let jwt = '';

test.beforeAll(async ({ browser }, info) => {
  const { baseURL, timezoneId, locale, viewport } = info.project.use;
  page = await browser.newPage({ baseURL, timezoneId, locale, viewport, acceptDownloads: true });
  email = await register(page);
  jwt = await tokenOf(page);
  await connectInstagram(page, SANDBOX.studio);
  await waitForSync(page.request, jwt);
  await page.goto('/dashboard');
  await expect(page.getByTestId('account-username')).toHaveText(`@${SANDBOX.studio}`);
});

test.afterAll(async () => {
  // Sandbox accounts can be linked to one user at a time: free them for other tests.
  await disconnectQuietly(page.request, jwt);
  await page.close();
});

test('downloads the period as CSV and as JSON', async () => {
  const stats = (await (await page.request.get('/api/growth/stats?period=30&tz=Europe/Berlin', { headers: authHeaders(jwt) })).json()) as {
    total_posts: number;
  };

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  expect(csv.suggestedFilename()).toMatch(/^growth-sandbox\.studio-30d-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = readFileSync((await csv.path()) as string, 'utf8');
  expect(text.split('\n')[0]).toBe(HEADER);
  // Rows start with a posting time; captions may hold new lines inside quotes.
  expect(text.split('\n').filter((l) => /^\d{4}-\d{2}-\d{2}T/.test(l))).toHaveLength(stats.total_posts);

  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download JSON' }).click()]);
  expect(json.suggestedFilename()).toMatch(/^growth-sandbox\.studio-30d-\d{4}-\d{2}-\d{2}\.json$/);
  const body = JSON.parse(readFileSync((await json.path()) as string, 'utf8')) as { stats: { total_posts: number }; posts: unknown[] };
  expect(body.stats.total_posts).toBe(stats.total_posts);
  expect(body.posts).toHaveLength(stats.total_posts);
});

test('the print view keeps the report and drops the app around it', async () => {
  await expect(page.getByRole('button', { name: 'Print or save as PDF' })).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('stat-total-posts-value')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Download CSV' })).toBeHidden();
  await expect(page.getByTestId('share-links')).toBeHidden();
  await expect(page.getByTestId('account-switcher')).toBeHidden();
  const pdf = await page.pdf({ format: 'A4' });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  await page.emulateMedia({ media: 'screen' });
});

test('a share link opens the report logged out, and stops once revoked', async ({ browser }) => {
  const panel = page.getByTestId('share-links');
  await panel.getByLabel('Expires').selectOption('7');
  await panel.getByRole('button', { name: 'Create link' }).click();
  const url = await panel.getByTestId('share-link-url').inputValue();
  expect(url).toMatch(/\/r\/[A-Za-z0-9_-]{43}$/);
  await expect(panel.getByTestId('share-link-item')).toHaveCount(1);

  const visitor = await browser.newContext();
  try {
    const html = await (await visitor.request.get(url)).text();
    expect(html).toContain(`<meta property="og:title" content="@${SANDBOX.studio}&#39;s growth report — last 30 days" />`);
    const pub = await visitor.newPage();
    await pub.goto(url);
    await expect(pub.getByRole('heading', { name: `@${SANDBOX.studio}'s growth report` })).toBeVisible();
    await expect(pub.getByTestId('stat-total-posts-value')).toBeVisible();
    await expect(pub.getByRole('button', { name: /Disconnect|Refresh|Download|Create link/ })).toHaveCount(0);
    expect(await pub.content()).not.toContain(email);

    await panel.getByRole('button', { name: /Revoke/ }).click();
    await expect(panel.getByTestId('share-link-item')).toHaveCount(0);
    await pub.reload();
    await expect(pub.getByRole('heading', { name: 'This report link does not work' })).toBeVisible();
  } finally {
    await visitor.close();
  }
});

test('switches between two connected accounts', async () => {
  await page.getByRole('button', { name: 'Connect another account' }).click();
  await page.waitForURL(/\/sandbox\/instagram\//);
  const select = page.locator('select[name="account"]');
  const value = await select.locator('option', { hasText: `@${SANDBOX.creator}` }).first().getAttribute('value');
  await select.selectOption(value as string);
  await page.locator('#allow').click();
  await page.waitForURL(/\/dashboard/);
  await waitForSync(page.request, jwt);
  await page.goto('/dashboard');

  // The newest account first.
  await expect(page.getByTestId('account-username')).toHaveText(`@${SANDBOX.creator}`);
  const switcher = page.getByTestId('account-switcher').getByLabel('Account');
  await expect(switcher.locator('option')).toHaveText([`@${SANDBOX.creator}`, `@${SANDBOX.studio}`]);
  const creatorCount = await page.getByTestId('posts-count').textContent();

  const stats = page.waitForRequest((r) => r.url().includes('/api/growth/stats') && r.url().includes('account_id='));
  await switcher.selectOption({ label: `@${SANDBOX.studio}` });
  await stats;
  await expect(page.getByTestId('account-username')).toHaveText(`@${SANDBOX.studio}`);
  await expect(page.getByTestId('posts-count')).not.toHaveText(creatorCount ?? '');
  // The choice holds across a reload.
  await page.reload();
  await expect(page.getByTestId('account-username')).toHaveText(`@${SANDBOX.studio}`);
  await switcher.selectOption({ label: `@${SANDBOX.creator}` });
  await expect(page.getByTestId('account-username')).toHaveText(`@${SANDBOX.creator}`);
});
