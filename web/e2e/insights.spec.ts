import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GrowthStats, PostDetail, PostsResponse } from '../src/types/api';
import { compressPng } from './compress-png';
import { connectSignedIn, disconnectQuietly, fmt, getJSON, hasNoHorizontalScroll, oneUserPerFile, SANDBOX, shootElement, waitUntil } from './helpers';

// Each spec file is its own client (the server trusts the loopback proxy in the browser tests),
// so the per-IP limits (registration: 10 an hour) count each file's sign-ups on their own.
test.use({ extraHTTPHeaders: { 'X-Forwarded-For': '192.0.2.15' } });

const TZ = 'Europe/Berlin';
const screenshots = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

oneUserPerFile('insights');

let token: string | null = null;

test.afterEach(async ({ request }) => {
  await disconnectQuietly(request, token);
  token = null;
});

const stats = (request: APIRequestContext, jwt: string, period: number) =>
  getJSON<GrowthStats>(request, jwt, `/api/growth/stats?period=${period}&tz=${encodeURIComponent(TZ)}`);

/** withInsights links the account and waits until the insights of its posts have been read. */
async function withInsights(page: Page, request: APIRequestContext, account: string) {
  token = await connectSignedIn(page, request, account);
  const jwt = token;
  await waitUntil('post insights read', async () => {
    const s = await stats(request, jwt, 90);
    return s.insights_coverage === 1 && s.freshness.insights_synced_at !== null;
  });
  await page.reload();
  await expect(page.getByTestId('recommendation')).toBeVisible();
  return jwt;
}

function coverage(s: GrowthStats): string {
  if (s.insights_coverage === null || s.total_posts === 0) return 'No posts in this period, so no insights yet.';
  const n = Math.round(s.insights_coverage * s.total_posts);
  return `Insights for ${fmt.int(n)} of ${fmt.int(s.total_posts)} ${s.total_posts === 1 ? 'post' : 'posts'}.`;
}

async function expectInsightCards(page: Page, s: GrowthStats) {
  const cards: Array<[string, number | null, number | null]> = [
    ['total-views', s.total_views, s.views_trend],
    ['total-reach', s.total_reach, s.reach_trend],
    ['total-saves', s.total_saves, s.saves_trend],
    ['total-shares', s.total_shares, s.shares_trend],
  ];
  for (const [id, total, trend] of cards) {
    const value = page.getByTestId(`stat-${id}-value`);
    if (total === null) {
      await expect(value).toHaveText('Not available yet');
    } else {
      await expect(value).toHaveText(fmt.int(total));
      await expect(page.getByTestId(`stat-${id}`)).toContainText(fmt.trend(trend));
    }
  }
  await expect(page.getByTestId('stat-engagement-rate-by-reach-value')).toHaveText(
    s.engagement_rate_by_reach === null ? 'Not available yet' : fmt.pct(s.engagement_rate_by_reach),
  );
  await expect(page.getByTestId('insights-coverage')).toContainText(coverage(s));
  await expect(page.getByTestId('insights-freshness')).toContainText(/^Posts synced (just now|\d+ min ago), insights (just now|\d+ min ago)\./);
}

test('shows views, reach, saves and shares with trends, coverage and freshness', async ({ page, request }) => {
  const jwt = await withInsights(page, request, SANDBOX.creator);
  const s30 = await stats(request, jwt, 30);
  expect(s30.total_views, 'the sandbox reports views').not.toBeNull();
  await expectInsightCards(page, s30);

  await page.getByText('90 days', { exact: true }).click();
  await expectInsightCards(page, await stats(request, jwt, 90));
});

test('says "Not available yet", never 0, when the period has no post to read insights from', async ({ page, request }) => {
  // sandbox.studio's newest post is ten days old: its last 7 days have no post.
  const jwt = await withInsights(page, request, SANDBOX.studio);
  const seven = page.waitForResponse((r) => r.url().includes('/api/growth/stats') && r.url().includes('period=7'));
  await page.getByText('7 days', { exact: true }).click();
  const s7 = (await (await seven).json()) as GrowthStats;
  expect(s7).toEqual(expect.objectContaining({ total_posts: 0, total_views: null, insights_coverage: null }));
  for (const id of ['total-views', 'total-reach', 'total-saves', 'total-shares']) {
    await expect(page.getByTestId(`stat-${id}-value`)).toHaveText('Not available yet');
    await expect(page.getByTestId(`stat-${id}`)).toContainText('No posts in this period');
  }
  await expect(page.getByTestId('insights-coverage')).toHaveText('No posts in this period, so no insights yet.');
  expect(await stats(request, jwt, 7)).toEqual(expect.objectContaining({ total_views: null }));
});

test('opens a post from the list and from the best post card: insights and lifespan', async ({ page, request }) => {
  const jwt = await withInsights(page, request, SANDBOX.creator);
  const { posts } = await getJSON<PostsResponse>(request, jwt, '/api/instagram/posts?limit=20');
  const first = posts[0];
  if (!first) throw new Error('the sandbox account has posts');

  await page.getByTestId('post-link').first().click();
  await expect(page).toHaveURL(new RegExp(`/posts/${first.id}$`));
  const detail = await getJSON<PostDetail>(request, jwt, `/api/instagram/posts/${first.id}`);
  const insights = detail.post.insights;
  if (!insights) throw new Error('insights were read');
  await expect(page.getByRole('heading', { name: 'Post insights' })).toBeVisible();
  for (const key of ['views', 'reach', 'saved', 'shares', 'total_interactions'] as const) {
    await expect(page.getByTestId(`insight-${key}-value`)).toHaveText(insights[key] === null ? '—not available' : fmt.int(insights[key]));
  }
  if (detail.post.media_product_type === 'REELS' && insights.skip_rate !== null) {
    await expect(page.getByTestId('insight-skip_rate-value')).toHaveText(fmt.pct(insights.skip_rate));
  }
  expect(detail.history.length).toBeGreaterThan(0);
  await expect(page.getByTestId('post-lifespan').getByRole('img', { name: /^Views and reach over time: Views/ })).toBeVisible();

  await page.getByRole('link', { name: /Back to the dashboard/ }).click();
  const s30 = await stats(request, jwt, 30);
  if (!s30.best_post) throw new Error('a best post in 30 days');
  await page.getByTestId('best-post-link').click();
  await expect(page).toHaveURL(new RegExp(`/posts/${s30.best_post.id}$`));
  await expect(page.getByTestId('post-likes')).toHaveText(fmt.int(s30.best_post.like_count));
});

test('a post page without insights says they are not available yet', async ({ page, request }) => {
  const jwt = await withInsights(page, request, SANDBOX.studio);
  const { posts } = await getJSON<PostsResponse>(request, jwt, '/api/instagram/posts?limit=1');
  const first = posts[0];
  if (!first) throw new Error('the sandbox account has posts');
  // Every sandbox post has insights once read, so the reading is taken out of the real answer.
  await page.route(`**/api/instagram/posts/${first.id}`, async (route) => {
    const res = await route.fetch();
    const body = (await res.json()) as PostDetail;
    await route.fulfill({ response: res, json: { post: { ...body.post, insights: null }, history: [] } });
  });
  await page.goto(`/posts/${first.id}`);
  await expect(page.getByText('Insights not available yet')).toBeVisible();
  await expect(page.getByText('No insights readings yet')).toBeVisible();
  await expect(page.getByTestId('post-insights')).not.toContainText(/\b0\b/);
});

test('an unknown post is a not-found page', async ({ page, request }) => {
  token = await connectSignedIn(page, request, SANDBOX.newbie);
  for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-post']) {
    await page.goto(`/posts/${id}`);
    await expect(page.getByRole('heading', { name: 'This post was not found' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Go to the dashboard' })).toBeVisible();
  }
});

test('insights screenshots at desktop and phone widths', async ({ page, request }) => {
  const jwt = await withInsights(page, request, SANDBOX.creator);
  mkdirSync(screenshots, { recursive: true });
  const grid = page.locator('div.grid').filter({ has: page.getByTestId('stat-total-views') });
  await shootElement(page, grid, `${screenshots}insights-cards-desktop.png`);
  expect(compressPng(`${screenshots}insights-cards-desktop.png`)).toBeLessThan(300 * 1024);

  const { posts } = await getJSON<PostsResponse>(request, jwt, '/api/instagram/posts?limit=3');
  const reel = posts.find((p) => p.media_product_type === 'REELS') ?? posts[0];
  await page.goto(`/posts/${reel?.id}`);
  await expect(page.getByTestId('post-lifespan').getByRole('img')).toBeVisible();
  await page.screenshot({ path: `${screenshots}post-desktop.png`, fullPage: true, animations: 'disabled' });
  expect(compressPng(`${screenshots}post-desktop.png`)).toBeLessThan(300 * 1024);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByTestId('post-lifespan').getByRole('img')).toBeVisible();
  await page.waitForTimeout(300);
  expect(await hasNoHorizontalScroll(page)).toBe(true);
  await page.screenshot({ path: `${screenshots}post-phone.png`, fullPage: true, animations: 'disabled' });
  expect(compressPng(`${screenshots}post-phone.png`)).toBeLessThan(300 * 1024);
});
