import { expect, test, type APIRequestContext, type BrowserContext, type Frame, type Locator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compressPng } from './compress-png';
import { authHeaders, connectInstagram, disconnectQuietly, fmt, hasNoHorizontalScroll, register, SANDBOX, tokenOf, waitForSync } from './helpers';

// Each spec file is its own client (the server trusts the loopback proxy in the browser tests),
// so the per-IP limits (registration: 10 an hour) count each file's sign-ups on their own.
test.use({ extraHTTPHeaders: { 'X-Forwarded-For': '192.0.2.12' } });

const TZ = 'Europe/Berlin';
const screenshots = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

interface Recommendations {
  status: 'ok' | 'insufficient_data';
  posts_considered: number;
  recommendations: Array<{ title: string; effect: number; confidence: string; sample: { n: number; baseline_n: number } }>;
  best_times: {
    basis: string;
    heatmap: Array<Array<number | null>>;
    top: Array<{ weekday: number; hour: number; score: number; posts: number }>;
    explore: { weekday: number; hour: number } | null;
  };
  outliers: { median_engagement: number | null; winners: Array<{ id: string }>; laggards: Array<{ id: string }> };
}

interface Forecast {
  status: 'ok' | 'insufficient_data';
  history_days: number;
  points: Array<{ date: string; value: number; low: number; high: number }>;
}

interface Goal {
  id: string;
  target: number;
  current: number;
  progress: number;
  required_per_day: number;
  current_per_day: number | null;
  on_track: boolean | null;
}

// One creator for the whole file, connected once: registrations are limited per client
// address and hour, and the suite as a whole must stay under that limit.
test.describe.configure({ mode: 'serial' });

let token: string | null = null;
let shared: { context: BrowserContext; page: Page } | null = null;

test.beforeAll(async ({ browser, request }, testInfo) => {
  const use = testInfo.project.use;
  const context = await browser.newContext({ baseURL: use.baseURL, viewport: use.viewport, timezoneId: use.timezoneId, locale: use.locale });
  const page = await context.newPage();
  shared = { context, page };
  await register(page);
  token = await tokenOf(page);
  await connectInstagram(page, SANDBOX.creator);
  await expect(page).toHaveURL(/\/dashboard$/);
  await waitForSync(request, token);
});

test.afterAll(async ({ request }) => {
  // Sandbox accounts can be linked to one user at a time: free it for the next file.
  await disconnectQuietly(request, token);
  token = null;
  await shared?.context.close();
  shared = null;
});

/** connected hands out the shared signed-in page on the dashboard, with its token. */
async function connected(): Promise<{ page: Page; jwt: string }> {
  expect(shared, 'the creator connected in beforeAll').not.toBeNull();
  const page = (shared as { page: Page }).page;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/dashboard');
  await expect(page.getByTestId('account-username')).toHaveText(`@${SANDBOX.creator}`);
  return { page, jwt: token as string };
}

async function getJson<T>(request: APIRequestContext, jwt: string, path: string): Promise<T> {
  const res = await request.get(path, { headers: authHeaders(jwt) });
  expect(res.status(), path).toBe(200);
  return (await res.json()) as T;
}

/**
 * shoot captures one part of the page from a full-page capture, so the sticky header stays
 * at the top of the page instead of covering the part.
 */
async function shoot(page: Page, part: Locator, path: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await part.boundingBox();
  expect(box, 'the part is on the page').not.toBeNull();
  if (!box) return;
  await page.screenshot({ path, fullPage: true, clip: box, animations: 'disabled' });
}

/**
 * shownAfterReload reloads the page and returns the body the page itself got from the
 * first request to `path`, with its URL. The insights keep arriving in the background after
 * a sync, so the page is compared with what it was sent, not with a later answer.
 */
async function shownAfterReload<T>(page: Page, path: string): Promise<{ url: URL; body: T }> {
  // Only an answer to the reloaded page counts: one still due to the old page loses its body.
  let reloaded = false;
  const onNavigated = (frame: Frame) => {
    if (frame === page.mainFrame()) reloaded = true;
  };
  page.on('framenavigated', onNavigated);
  const answered = page.waitForResponse((r) => reloaded && new URL(r.url()).pathname === path && r.request().method() === 'GET');
  await page.reload();
  const res = await answered;
  page.off('framenavigated', onNavigated);
  expect(res.status(), path).toBe(200);
  return { url: new URL(res.url()), body: (await res.json()) as T };
}

/** followersOf reads the connected account's follower count. */
async function followersOf(request: APIRequestContext, jwt: string): Promise<number> {
  const { account } = await getJson<{ account: { followers: number | null } }>(request, jwt, '/api/instagram/posts?limit=1');
  expect(account.followers, 'follower count').not.toBeNull();
  return account.followers as number;
}

const strength = (e: number) => (e > 0 ? Math.abs(Math.log(e)) : 0);
const score = (s: number) => `${Math.round(s * 100)}/100`;

/** dayIn is a date's calendar day in `tz` as YYYY-MM-DD. */
function dayIn(date: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

test('what to do next shows the suggestions, their samples and the outliers the API gives', async () => {
  const { page } = await connected();
  const { url: asked, body: api } = await shownAfterReload<Recommendations>(page, '/api/growth/recommendations');
  expect(asked.searchParams.get('period')).toBe('90');
  expect(asked.searchParams.get('tz')).toBe(TZ);
  const panel = page.getByTestId('next-steps');
  await expect(panel).toBeVisible();
  if (api.status === 'insufficient_data') {
    await expect(panel.getByTestId('advice-insufficient')).toHaveText(
      `Post at least 10 times in this period to get advice — you have ${api.posts_considered}.`,
    );
    return;
  }
  const expected = [...api.recommendations].sort((a, b) => strength(b.effect) - strength(a.effect));
  await expect(panel.getByTestId('suggestion')).toHaveCount(expected.length);
  for (const [i, rec] of expected.entries()) {
    const item = panel.getByTestId('suggestion').nth(i);
    await expect(item.getByTestId('suggestion-title')).toHaveText(rec.title);
    await expect(item.getByTestId('suggestion-sample')).toContainText(`Based on ${fmt.int(rec.sample.n)} `);
    await expect(item.getByTestId('suggestion-sample')).toContainText(` and ${fmt.int(rec.sample.baseline_n)} `);
    await expect(item.getByTestId('suggestion-confidence')).toHaveText(`${rec.confidence[0]?.toUpperCase()}${rec.confidence.slice(1)} confidence`);
  }
  if (api.outliers.median_engagement !== null && api.outliers.winners.length + api.outliers.laggards.length > 0) {
    await expect(panel.getByTestId('outliers-median')).toContainText(fmt.int(Math.round(api.outliers.median_engagement)));
  }
  const winners = panel.getByRole('region', { name: 'Your standout posts' }).getByRole('link');
  await expect(winners).toHaveCount(api.outliers.winners.length);
  for (const [i, post] of api.outliers.winners.entries()) await expect(winners.nth(i)).toHaveAttribute('href', `/posts/${post.id}`);
  const laggards = panel.getByRole('region', { name: 'Posts that fell flat' }).getByRole('link');
  await expect(laggards).toHaveCount(api.outliers.laggards.length);
  for (const [i, post] of api.outliers.laggards.entries()) await expect(laggards.nth(i)).toHaveAttribute('href', `/posts/${post.id}`);
});

test('the best-times heatmap marks the API top hours, the hour worth a try and the cells without information', async () => {
  const { page } = await connected();
  const { body } = await shownAfterReload<Recommendations>(page, '/api/growth/recommendations');
  const bt = body.best_times;
  const card = page.getByTestId('best-times');
  await expect(card).toBeVisible();
  const known = bt.heatmap.flat().filter((v) => v !== null).length;
  if (known === 0) {
    await expect(card.getByText('No hours to compare yet')).toBeVisible();
    return;
  }
  await expect(card.locator('[data-cell]')).toHaveCount(168);
  await expect(card.locator('[data-cell][data-score="none"]')).toHaveCount(168 - known);
  await expect(card.locator('[data-top]')).toHaveCount(bt.top.length);
  for (const [i, slot] of bt.top.entries()) {
    const cell = card.locator(`[data-cell="${slot.weekday}-${slot.hour}"]`);
    await expect(cell).toHaveAttribute('data-top', String(i + 1));
    await expect(cell).toHaveAttribute('aria-label', new RegExp(`score ${score(slot.score)}, best hour number ${i + 1}`));
  }
  if (bt.explore) {
    const cell = card.locator(`[data-cell="${bt.explore.weekday}-${bt.explore.hour}"]`);
    await expect(cell).toHaveAttribute('data-explore', 'true');
    await expect(cell).toHaveAttribute('aria-label', /worth a try$/);
    await expect(card.getByTestId('best-times-explore')).toBeVisible();
  } else {
    await expect(card.locator('[data-explore]')).toHaveCount(0);
  }
  const sample = bt.heatmap.flatMap((row, d) => row.map((v, h) => ({ v, d, h }))).find((c) => c.v !== null);
  if (sample && sample.v !== null) {
    await expect(card.locator(`[data-cell="${sample.d}-${sample.h}"]`)).toHaveAttribute('title', new RegExp(`score ${score(sample.v)}`));
  }
  await expect(card.getByTestId('best-times-basis')).toContainText(`Hours in ${TZ}.`);
  await expect(card.getByTestId('heatmap-legend')).toContainText('No information yet');
});

test('the forecast is drawn with its band, or says how much history is missing, and switches horizon', async () => {
  const { page } = await connected();
  const card = page.getByTestId('forecast');
  const { url: asked, body: api } = await shownAfterReload<Forecast>(page, '/api/growth/forecast');
  expect(asked.searchParams.get('metric')).toBe('followers');
  expect(asked.searchParams.get('horizon')).toBe('30');
  if (api.status === 'insufficient_data') {
    await expect(card.getByTestId('forecast-insufficient')).toHaveText(`We need 14 days of follower history; we have ${api.history_days}.`);
  } else {
    const last = api.points[api.points.length - 1];
    expect(last).toBeDefined();
    await expect(card.getByTestId('forecast-summary')).toContainText(`about ${fmt.int(Math.round(last?.value ?? 0))} followers`);
    const chart = card.getByRole('img', { name: /^Followers: / });
    await expect(chart).toBeVisible();
    await expect(chart.locator('[data-part="band"]')).toHaveCount(1);
  }

  const week = page.waitForResponse((r) => r.url().includes('/api/growth/forecast') && r.url().includes('horizon=7'));
  await card.getByText('1 week', { exact: true }).click();
  const weekRes = await week;
  expect(weekRes.status()).toBe(200);
  await expect(card.getByLabel('1 week')).toBeChecked();
  const weekApi = (await weekRes.json()) as Forecast;
  if (weekApi.status === 'ok') {
    expect(weekApi.points).toHaveLength(7);
    await expect(card.getByTestId('forecast-summary')).toBeVisible();
  } else {
    await expect(card.getByTestId('forecast-insufficient')).toBeVisible();
  }
});

test("a goal's life: refused when not above the count, created, shown with progress, deleted", async ({ request }) => {
  const { page, jwt } = await connected();
  const followers = await followersOf(request, jwt);
  const goals = page.getByTestId('goals');
  await expect(goals.getByText('No goals yet')).toBeVisible();

  // Client-side check: a target at the current count is refused before any request.
  let posted = 0;
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/goals')) posted++;
  });
  await goals.getByLabel('Target followers').fill(String(followers));
  await goals.getByLabel('Deadline').fill(dayIn(new Date(Date.now() + 60 * 86_400_000), TZ));
  await goals.getByRole('button', { name: 'Add goal' }).click();
  await expect(goals.getByText(`Your target must be above the ${fmt.int(followers)} followers you have now.`)).toBeVisible();
  expect(posted).toBe(0);

  const target = followers + 500;
  const deadline = dayIn(new Date(Date.now() + 60 * 86_400_000), TZ);
  await goals.getByLabel('Target followers').fill(String(target));
  const created = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/goals'));
  const listed = page.waitForResponse((r) => r.request().method() === 'GET' && r.url().endsWith('/api/goals'));
  await goals.getByRole('button', { name: 'Add goal' }).click();
  expect((await created).status()).toBe(201);

  const item = goals.getByTestId('goal');
  await expect(item).toHaveCount(1);
  const { goals: saved } = (await (await listed).json()) as { goals: Goal[] };
  expect(saved).toHaveLength(1);
  const goal = saved[0] as Goal;
  expect(goal.target).toBe(target);
  await expect(item.getByTestId('goal-title')).toContainText(`${fmt.int(target)} followers by`);
  await expect(item.getByTestId('goal-current')).toHaveText(`${fmt.int(goal.current)} of ${fmt.int(target)} followers`);
  await expect(item.getByTestId('goal-progress')).toContainText(`${Math.round(goal.progress * 100)}% of the way`);
  await expect(item.getByRole('progressbar')).toBeVisible();
  const perDay = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(goal.required_per_day);
  await expect(item.getByTestId('goal-required')).toContainText(`+${perDay} follower`);
  const badge = goal.on_track === null ? 'Not enough data yet' : goal.on_track ? 'On track' : 'Behind pace';
  await expect(item.getByTestId('goal-on-track')).toHaveText(badge);
  expect(deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);

  await item.getByRole('button', { name: 'Delete goal' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete this goal?' });
  await dialog.getByRole('button', { name: 'Keep it' }).click();
  await expect(item).toHaveCount(1);
  await item.getByRole('button', { name: 'Delete goal' }).click();
  const deleted = page.waitForResponse((r) => r.request().method() === 'DELETE' && r.url().includes(`/api/goals/${goal.id}`));
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  expect((await deleted).status()).toBe(204);
  await expect(goals.getByText('No goals yet')).toBeVisible();
  expect((await getJson<{ goals: Goal[] }>(request, jwt, '/api/goals')).goals).toHaveLength(0);
});

test('advice screenshots at desktop and phone widths', async ({ request }) => {
  const { page, jwt } = await connected();
  // A goal, so the screenshot shows one with its progress.
  const followers = await followersOf(request, jwt);
  const res = await request.post('/api/goals', {
    headers: { ...authHeaders(jwt), Origin: new URL(page.url()).origin },
    data: { metric: 'followers', target: followers + 300, deadline: dayIn(new Date(Date.now() + 90 * 86_400_000), TZ) },
  });
  expect(res.status()).toBe(201);
  mkdirSync(screenshots, { recursive: true });
  const section = page.getByRole('region', { name: 'What to do next' });

  await page.reload();
  await expect(page.getByTestId('next-steps')).toBeVisible();
  await expect(page.getByTestId('goal')).toHaveCount(1);
  await expect(page.getByText('Loading the forecast')).toHaveCount(0);
  await shoot(page, section, `${screenshots}advice-desktop.png`);
  expect(compressPng(`${screenshots}advice-desktop.png`)).toBeLessThan(400 * 1024);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByTestId('goal')).toHaveCount(1);
  await expect(page.getByText('Loading the forecast')).toHaveCount(0);
  await page.waitForTimeout(300);
  expect(await hasNoHorizontalScroll(page)).toBe(true);
  await shoot(page, section, `${screenshots}advice-phone.png`);
  expect(compressPng(`${screenshots}advice-phone.png`)).toBeLessThan(400 * 1024);
});
