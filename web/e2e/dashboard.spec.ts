import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GrowthStats as Stats } from '../src/types/api';
import { compressPng } from './compress-png';
import {
  authHeaders,
  connectInstagram,
  disconnectQuietly,
  fmt,
  hasNoHorizontalScroll,
  register,
  SANDBOX,
  tokenOf,
  waitForSync,
} from './helpers';

// Each spec file is its own client (the server trusts the loopback proxy in the browser tests),
// so the per-IP limits (registration: 10 an hour) count each file's sign-ups on their own.
test.use({ extraHTTPHeaders: { 'X-Forwarded-For': '192.0.2.14' } });

const TZ = 'Europe/Berlin';
const screenshots = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

let token: string | null = null;

test.afterEach(async ({ request }) => {
  // Sandbox accounts can be linked to one user at a time: free them for the next test.
  await disconnectQuietly(request, token);
  token = null;
});

async function connected(page: Page, request: APIRequestContext, account: string = SANDBOX.studio) {
  await register(page);
  token = await tokenOf(page);
  await connectInstagram(page, account);
  await expect(page.getByTestId('instagram-callback')).toHaveText(/Your account is linked/);
  await expect(page).toHaveURL(/\/dashboard$/);
  await waitForSync(request, token);
  await page.reload();
  await expect(page.getByTestId('account-username')).toHaveText(`@${account}`);
  return token;
}

async function apiStats(request: APIRequestContext, jwt: string, period: number): Promise<Stats> {
  const res = await request.get(`/api/growth/stats?period=${period}&tz=${encodeURIComponent(TZ)}`, { headers: authHeaders(jwt) });
  expect(res.status()).toBe(200);
  return (await res.json()) as Stats;
}

async function expectStatsShown(page: Page, stats: Stats) {
  const value = (id: string) => page.getByTestId(`stat-${id}-value`);
  await expect(value('total-posts')).toHaveText(fmt.int(stats.total_posts));
  await expect(value('total-likes')).toHaveText(fmt.int(stats.total_likes));
  await expect(value('total-comments')).toHaveText(fmt.int(stats.total_comments));
  await expect(value('avg-likes')).toHaveText(fmt.dec(stats.avg_likes));
  await expect(value('avg-comments')).toHaveText(fmt.dec(stats.avg_comments));
  await expect(value('engagement-rate')).toHaveText(fmt.pct(stats.engagement_rate));
  await expect(value('posts-per-week')).toHaveText(fmt.dec(stats.posts_per_week));
  await expect(value('followers')).toHaveText(fmt.int(stats.followers));
  await expect(page.getByTestId('stat-total-likes')).toContainText(fmt.trend(stats.likes_trend));
  await expect(page.getByTestId('stat-total-comments')).toContainText(fmt.trend(stats.comments_trend));
  await expect(page.getByTestId('recommendation')).toHaveText(stats.message);
  if (stats.best_post) {
    await expect(page.getByTestId('best-post-likes')).toHaveText(fmt.int(stats.best_post.like_count));
    await expect(page.getByTestId('best-post-comments')).toHaveText(fmt.int(stats.best_post.comments_count));
  }
  if (stats.total_likes > 0) {
    await expect(page.getByRole('img', { name: new RegExp(`^Daily likes: ${fmt.int(stats.total_likes)} likes over`) })).toBeVisible();
  }
}

test('connects Instagram through the sandbox, shows the right numbers and switches the period', async ({ page, request }) => {
  const jwt = await connected(page, request);

  await expect(page.getByTestId('recommendation')).toBeVisible();
  await expectStatsShown(page, await apiStats(request, jwt, 30));
  await expect(page.getByTestId('post-item').first()).toBeVisible();

  const seven = page.waitForResponse((r) => r.url().includes('/api/growth/stats') && r.url().includes('period=7'));
  await page.getByText('7 days', { exact: true }).click();
  await expect(page.getByLabel('7 days', { exact: true })).toBeChecked();
  const sevenUrl = new URL((await seven).url());
  expect(sevenUrl.searchParams.get('tz')).toBe(TZ);
  await expectStatsShown(page, await apiStats(request, jwt, 7));

  // Keyboard: arrow keys move the choice inside the period group.
  const fourteen = page.waitForResponse((r) => r.url().includes('/api/growth/stats') && r.url().includes('period=14'));
  await page.getByLabel('7 days', { exact: true }).focus();
  await page.keyboard.press('ArrowRight');
  await fourteen;
  await expect(page.getByLabel('14 days', { exact: true })).toBeChecked();
  await expectStatsShown(page, await apiStats(request, jwt, 14));

  await page.getByText('90 days', { exact: true }).click();
  await expectStatsShown(page, await apiStats(request, jwt, 90));
});

test('refreshes and watches the sync finish live, then disconnects', async ({ page, request }) => {
  await connected(page, request);
  const polls: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/instagram/sync') polls.push(r.url());
  });
  const opened = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/events' && r.status() === 200);
  await page.reload();
  await opened;
  await expect(page.getByTestId('account-username')).toBeVisible();

  // The sync's progress and end come through the event stream: no polling.
  const pollsBefore = polls.length;
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByText(/Sync finished: [\d,]+ posts? fetched/)).toBeVisible({ timeout: 60_000 });
  expect(polls.length - pollsBefore, 'GET /api/instagram/sync calls after Refresh').toBe(0);
  await expect(page.getByRole('button', { name: 'Refresh' })).toBeEnabled();

  await page.getByRole('button', { name: 'Disconnect' }).click();
  const dialog = page.getByRole('dialog', { name: 'Disconnect Instagram?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Keep it connected' }).click();
  await expect(dialog).toBeHidden();

  await page.getByRole('button', { name: 'Disconnect' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Disconnect' }).click();
  await expect(page.getByRole('heading', { name: 'Connect your Instagram account' })).toBeVisible();
});

test('Cancel on the Instagram consent page says access was denied', async ({ page }) => {
  await register(page);
  token = await tokenOf(page);
  await connectInstagram(page, SANDBOX.studio, 'cancel');
  await expect(page.getByTestId('instagram-callback')).toHaveText(/access was denied/);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('button', { name: 'Connect Instagram' })).toBeVisible();
});

test('pages back through posts with Load more', async ({ page, request }) => {
  const jwt = await connected(page, request, SANDBOX.creator);
  await expect(page.getByTestId('post-item')).toHaveCount(20);
  const res = await request.get('/api/instagram/posts?limit=1', { headers: authHeaders(jwt) });
  const { posts_count } = (await res.json()) as { posts_count: number };
  if (posts_count > 20) {
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect(page.getByTestId('post-item')).toHaveCount(Math.min(40, posts_count));
  }
});

test('dashboard screenshots at desktop and phone widths', async ({ page, request }) => {
  await connected(page, request, SANDBOX.creator);
  mkdirSync(screenshots, { recursive: true });
  await expect(page.getByTestId('recommendation')).toBeVisible();
  await page.screenshot({ path: `${screenshots}dashboard-desktop.png`, animations: 'disabled' });
  expect(compressPng(`${screenshots}dashboard-desktop.png`)).toBeLessThan(300 * 1024);

  await page.setViewportSize({ width: 375, height: 812 });
  await page.reload();
  await expect(page.getByTestId('recommendation')).toBeVisible();
  await page.waitForTimeout(300);
  expect(await hasNoHorizontalScroll(page)).toBe(true);
  await page.screenshot({ path: `${screenshots}dashboard-phone.png`, animations: 'disabled' });
  expect(compressPng(`${screenshots}dashboard-phone.png`)).toBeLessThan(300 * 1024);
});
