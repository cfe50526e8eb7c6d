import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Audience } from '../src/types/api';
import { compressPng } from './compress-png';
import { connectSignedIn, disconnectQuietly, fmt, getJSON, hasNoHorizontalScroll, oneUserPerFile, SANDBOX, shootElement, signed, waitUntil } from './helpers';

// Each spec file is its own client (the server trusts the loopback proxy in the browser tests),
// so the per-IP limits (registration: 10 an hour) count each file's sign-ups on their own.
test.use({ extraHTTPHeaders: { 'X-Forwarded-For': '192.0.2.13' } });

// The browser runs in Europe/Berlin (playwright.config.ts): the heatmap is asked in that zone.
const TZ = 'Europe/Berlin';
const screenshots = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

oneUserPerFile('audience');

let token: string | null = null;

test.afterEach(async ({ request }) => {
  await disconnectQuietly(request, token);
  token = null;
});

const audience = (request: APIRequestContext, jwt: string, period = 30) =>
  getJSON<Audience>(request, jwt, `/api/growth/audience?period=${period}&tz=${encodeURIComponent(TZ)}`);

/** withAudience links the account and waits until its account insights have been read. */
async function withAudience(page: Page, request: APIRequestContext, account: string, ready: (a: Audience) => boolean) {
  token = await connectSignedIn(page, request, account);
  const jwt = token;
  await waitUntil('account insights read', async () => ready(await audience(request, jwt)));
  // The page's own request must name the browser's zone; its body is compared through a
  // fresh API read, as a response body is gone once the page that asked navigates.
  const asked: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/growth/audience')) asked.push(r.url());
  });
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Audience', exact: true })).toBeVisible();
  await expect(page.getByTestId('audience-freshness')).toBeVisible();
  const last = asked.at(-1);
  expect(last, 'the dashboard asked for the audience').toBeTruthy();
  expect(new URL(last as string).searchParams.get('tz')).toBe(TZ);
  return { jwt, shown: await audience(request, jwt) };
}

test('shows follower growth, daily reach, when followers are online and who they are', async ({ page, request }) => {
  const { shown } = await withAudience(
    page,
    request,
    SANDBOX.studio,
    (a) => a.online_followers.status === 'ok' && a.demographics.status === 'ok' && a.net_followers !== null,
  );
  await expect(page.getByTestId('audience-net-value')).toHaveText(signed(shown.net_followers));
  await expect(page.getByTestId('audience-gained-value')).toHaveText(fmt.int(shown.followers_gained));
  await expect(page.getByTestId('audience-lost-value')).toHaveText(fmt.int(shown.followers_lost));
  await expect(page.getByRole('img', { name: /^Followers gained and lost per day: / })).toBeVisible();

  const reach = shown.daily.map((d) => d.reach).filter((r): r is number => r !== null);
  const avg = Math.round(reach.reduce((a, b) => a + b, 0) / reach.length);
  await expect(page.getByTestId('audience-avg-reach-value')).toHaveText(fmt.int(avg));
  await expect(page.getByTestId('audience-reach').getByRole('img', { name: /^Accounts reached and views per day/ })).toBeVisible();

  const online = page.getByTestId('audience-online');
  await expect(online).toContainText(`Times in your zone (${TZ})`);
  await expect(page.getByTestId('online-busiest')).toContainText(/^Most followers online: \w+day \d+ (am|pm)/);
  await expect(online.getByRole('img', { name: /^Followers online by weekday and hour/ })).toBeVisible();
  expect(await online.locator('rect[data-cell]').count()).toBe(7 * 24);

  const demographics = page.getByTestId('audience-demographics');
  await expect(demographics.getByTestId('demographics-age').getByRole('listitem').first()).toBeVisible();
  await demographics.getByText('Engaged audience', { exact: true }).click();
  await expect(demographics.getByLabel('Engaged audience')).toBeChecked();
  await expect(demographics).toContainText('Accounts that liked, commented, saved or shared your posts.');
});

test('Audience without data yet: each part says it is not available yet', async ({ page, request }) => {
  token = await connectSignedIn(page, request, SANDBOX.creator);
  // Account insights are read right after the connection, so "nothing read yet" is
  // replayed by emptying the server's own answer in flight.
  await page.route('**/api/growth/audience**', async (route) => {
    const res = await route.fetch();
    const body = (await res.json()) as Audience;
    await route.fulfill({
      response: res,
      json: {
        ...body,
        followers_gained: null,
        followers_lost: null,
        net_followers: null,
        daily: [],
        online_followers: { status: 'unavailable', heatmap: null },
        demographics: { status: 'unavailable', timeframe: null, followers: null, engaged: null },
      },
    });
  });
  await page.reload();
  await expect(page.getByTestId('audience-net-value')).toHaveText('Not available yet');
  await expect(page.getByText('No follower history yet')).toBeVisible();
  await expect(page.getByTestId('audience-reach')).toContainText('Not available yet');
  await expect(page.getByTestId('audience-online').getByTestId('part-unavailable')).toContainText('Instagram has not sent when your followers are online yet.');
  await expect(page.getByTestId('audience-demographics').getByTestId('part-unavailable')).toBeVisible();
});

test('Audience under 100 followers says there are not enough followers yet', async ({ page, request }) => {
  const { jwt, shown } = await withAudience(page, request, SANDBOX.newbie, (a) => a.followers !== null);
  expect(shown.followers).toBeLessThan(100);
  expect(shown.online_followers.status).toBe('insufficient_followers');
  expect(shown.demographics.status).toBe('insufficient_followers');
  const online = page.getByTestId('audience-online').getByTestId('part-insufficient');
  await expect(online).toContainText('Not enough followers yet');
  await expect(online).toContainText(`you have ${fmt.int(shown.followers)}.`);
  await expect(page.getByTestId('audience-demographics').getByTestId('part-insufficient')).toBeVisible();
  await expect(page.getByTestId('audience-net-value')).toHaveText(signed(shown.net_followers));
  expect((await audience(request, jwt, 7)).online_followers.status).toBe('insufficient_followers');
});

test('Audience screenshots at desktop and phone widths', async ({ page, request }) => {
  await withAudience(page, request, SANDBOX.studio, (a) => a.online_followers.status === 'ok' && a.demographics.status === 'ok');
  mkdirSync(screenshots, { recursive: true });
  const section = page.getByTestId('audience');
  await shootElement(page, section, `${screenshots}audience-desktop.png`);
  expect(compressPng(`${screenshots}audience-desktop.png`)).toBeLessThan(300 * 1024);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByTestId('audience-online').getByRole('img')).toBeVisible();
  await page.waitForTimeout(300);
  expect(await hasNoHorizontalScroll(page)).toBe(true);
  await shootElement(page, section, `${screenshots}audience-phone.png`);
  expect(compressPng(`${screenshots}audience-phone.png`)).toBeLessThan(300 * 1024);
});
