import { expect, test, type APIRequest, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PASSWORD is used for every test account. */
export const PASSWORD = 'e2e-password-123';

/** freshEmail returns an address no earlier run has used. */
export function freshEmail(prefix = 'creator'): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** register signs up through the UI and waits for the dashboard. */
export async function register(page: Page, email = freshEmail()): Promise<string> {
  await page.goto('/register');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  return email;
}

/**
 * tokenOf reads the session token from the browser's `session` cookie (HttpOnly: the page
 * itself cannot read it, and keeps no copy in storage).
 */
export async function tokenOf(page: Page): Promise<string> {
  const cookie = (await page.context().cookies()).find((c) => c.name === 'session');
  expect(cookie?.value, 'session cookie').toBeTruthy();
  expect(cookie?.httpOnly, 'session cookie is HttpOnly').toBe(true);
  expect(await page.evaluate(() => window.localStorage.length), 'nothing in localStorage').toBe(0);
  return cookie?.value as string;
}

/** authHeaders are the headers the app sends. */
export function authHeaders(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

/** Sandbox accounts of the built-in Instagram sandbox. */
export const SANDBOX = { creator: 'sandbox.creator', studio: 'sandbox.studio', newbie: 'sandbox.newbie' } as const;

/**
 * connectInstagram goes through the sandbox's consent page: Connect → pick the account →
 * Allow (or Cancel), and waits for the dashboard to come back.
 */
export async function connectInstagram(page: Page, username: string, decision: 'allow' | 'cancel' = 'allow') {
  await page.getByRole('button', { name: 'Connect Instagram' }).click();
  await page.waitForURL(/\/sandbox\/instagram\//);
  const select = page.locator('select[name="account"]');
  const value = await select.locator('option', { hasText: `@${username}` }).first().getAttribute('value');
  expect(value, `sandbox account @${username}`).toBeTruthy();
  await select.selectOption(value as string);
  await page.locator(decision === 'allow' ? '#allow' : '#cancel').click();
  await page.waitForURL(/\/dashboard/);
}

/** waitForSync polls the API until the account's post fetch is finished. */
export async function waitForSync(request: APIRequestContext, token: string) {
  await expect
    .poll(
      async () => {
        const res = await request.get('/api/instagram/sync', { headers: authHeaders(token) });
        if (!res.ok()) return `http ${res.status()}`;
        const body = (await res.json()) as { state: string; last_synced_at: string | null };
        return body.state === 'idle' && body.last_synced_at ? 'done' : body.state;
      },
      { timeout: 60_000, intervals: [500, 1000] },
    )
    .toBe('done');
}

/** disconnectQuietly frees the sandbox account for the next test, whatever happened. */
export async function disconnectQuietly(request: APIRequestContext, token: string | null) {
  if (!token) return;
  for (let i = 0; i < 5; i++) {
    const res = await request.delete('/api/instagram/disconnect', { headers: authHeaders(token) });
    if (!res.ok()) return;
  }
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const twoDecimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** fmt mirrors how the dashboard prints numbers, to compare with the API. */
export const fmt = {
  int: (v: number | null) => (v === null ? '—' : integer.format(v)),
  dec: (v: number | null) => (v === null ? '—' : twoDecimals.format(v)),
  pct: (v: number | null) => (v === null ? '—' : `${oneDecimal.format(v)}%`),
  trend: (v: number | null) => {
    if (v === null) return '—';
    const r = Math.round(v * 10) / 10;
    if (r > 0) return `+${r.toFixed(1)}%`;
    if (r < 0) return `−${Math.abs(r).toFixed(1)}%`;
    return '0.0%';
  },
};

/** hasNoHorizontalScroll tells whether the page fits its viewport width. */
export async function hasNoHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/** getJSON reads an API body as the signed-in user, expecting 200. */
export async function getJSON<T>(request: APIRequestContext, token: string, path: string): Promise<T> {
  const res = await request.get(path, { headers: authHeaders(token) });
  expect(res.status(), `GET ${path}`).toBe(200);
  return (await res.json()) as T;
}

/** waitUntil polls `probe` until it returns true (background insights jobs take a moment). */
export async function waitUntil(what: string, probe: () => Promise<boolean>, timeout = 90_000) {
  await expect.poll(probe, { message: what, timeout, intervals: [500, 1000, 2000] }).toBe(true);
}

/** signed mirrors the dashboard's signed counts ("+268", "−12", "0"). */
export function signed(v: number | null): string {
  if (v === null) return 'Not available yet';
  if (v > 0) return `+${fmt.int(v)}`;
  if (v < 0) return `−${fmt.int(-v)}`;
  return '0';
}

/**
 * shootElement saves a screenshot of one element cut out of a full-page capture, where
 * the sticky header stays at the top instead of covering the element.
 */
export async function shootElement(page: Page, element: Locator, path: string) {
  const box = await element.boundingBox();
  expect(box, 'element on screen').toBeTruthy();
  const scrollY = await page.evaluate(() => window.scrollY);
  const { x, y, width, height } = box as { x: number; y: number; width: number; height: number };
  await page.screenshot({ path, fullPage: true, animations: 'disabled', clip: { x, y: y + scrollY, width, height } });
}

/**
 * oneUserPerFile registers a single user for a spec file and signs every test of it in
 * with that user's session, since registration is limited to 10 an hour per address.
 * Call it at the top of the file; tests then link accounts with connectSignedIn.
 */
export function oneUserPerFile(name: string) {
  const state = join(tmpdir(), `cgt-e2e-${name}-${process.pid}.json`);
  test.beforeAll(async ({ browser }, info) => {
    // An empty state: the file this block writes does not exist yet.
    const context = await browser.newContext({ baseURL: info.project.use.baseURL, storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    await register(page);
    await context.storageState({ path: state });
    await context.close();
  });
  test.use({ storageState: state });
}

/** connectSignedIn links the sandbox account `username` for the signed-in user and waits for its first fetch. */
export async function connectSignedIn(page: Page, request: APIRequestContext, username: string): Promise<string> {
  await page.goto('/dashboard');
  const token = await tokenOf(page);
  await connectInstagram(page, username);
  await expect(page.getByTestId('instagram-callback')).toHaveText(/Your account is linked/);
  await waitForSync(request, token);
  return token;
}

/** sessionCookie is the browser's `session` cookie, if it has one. */
export async function sessionCookie(page: Page) {
  return (await page.context().cookies()).find((c) => c.name === 'session');
}

const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]+/;

/**
 * expectNoTokenInStorage checks every key and value of localStorage and sessionStorage, and
 * document.cookie: none may hold the session token, nor anything shaped like a JWT.
 */
export async function expectNoTokenInStorage(page: Page, token: string) {
  const entries = await page.evaluate(() => {
    const out: { store: string; key: string; value: string }[] = [];
    for (const [store, storage] of [
      ['localStorage', window.localStorage],
      ['sessionStorage', window.sessionStorage],
    ] as const) {
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i) ?? '';
        out.push({ store, key, value: storage.getItem(key) ?? '' });
      }
    }
    return out;
  });
  for (const { store, key, value } of entries) {
    expect(`${key}=${value}`, `${store}[${key}] holds the session token`).not.toContain(token);
    expect(`${key}=${value}`, `${store}[${key}] holds a JWT`).not.toMatch(JWT);
  }
  expect(await page.evaluate(() => document.cookie), 'document.cookie (HttpOnly hides the session)').not.toContain(token);
}

/**
 * meWithCookie calls GET /api/user/me with nothing but `session=<value>` as its cookie, from a
 * request context of its own, and returns the status.
 */
export async function meWithCookie(api: APIRequest, baseURL: string | undefined, value: string): Promise<number> {
  const ctx = await api.newContext({ baseURL, storageState: { cookies: [], origins: [] }, extraHTTPHeaders: { Cookie: `session=${value}` } });
  try {
    return (await ctx.get('/api/user/me')).status();
  } finally {
    await ctx.dispose();
  }
}

/** logIn fills the log-in form with `password` and submits it. */
export async function logIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** mailpitURL is the HTTP API of the tests' Mailpit, which scripts/e2e.sh starts. */
export function mailpitURL(): string {
  const url = process.env.E2E_MAILPIT_URL;
  if (!url) throw new Error('E2E_MAILPIT_URL is not set: run the browser tests through scripts/e2e.sh');
  return url.replace(/\/$/, '');
}

/** Mail is one message in Mailpit, as its API lists it. */
export interface Mail {
  ID: string;
  To: { Name: string; Address: string }[];
  Subject: string;
  Created: string;
}

/** mailsTo lists Mailpit's messages to `to` with `subject` (GET /api/v1/messages), newest first. */
export async function mailsTo(request: APIRequestContext, to: string, subject: string): Promise<Mail[]> {
  const res = await request.get(`${mailpitURL()}/api/v1/messages?limit=1000`);
  expect(res.status(), 'Mailpit GET /api/v1/messages').toBe(200);
  const body = (await res.json()) as { messages: Mail[] };
  return body.messages.filter((m) => m.Subject === subject && m.To.some((a) => a.Address.toLowerCase() === to.toLowerCase()));
}

/**
 * mailLink waits for exactly one mail to `to` with `subject`, reads it
 * (GET /api/v1/message/{ID}) and returns the link of its text part that starts with
 * `{E2E_BASE_URL}{path}?token=`.
 */
export async function mailLink(request: APIRequestContext, baseURL: string | undefined, to: string, subject: string, path: string): Promise<string> {
  await expect
    .poll(async () => (await mailsTo(request, to, subject)).length, { message: `a mail "${subject}" to ${to}`, timeout: 30_000, intervals: [250, 500, 1000] })
    .toBeGreaterThan(0);
  const [mail, ...more] = await mailsTo(request, to, subject);
  expect(more, `one mail "${subject}" to ${to}, not more`).toHaveLength(0);
  const res = await request.get(`${mailpitURL()}/api/v1/message/${(mail as Mail).ID}`);
  expect(res.status(), 'Mailpit GET /api/v1/message/{ID}').toBe(200);
  const { Text } = (await res.json()) as { Text: string };
  const escaped = `${baseURL ?? ''}${path}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const link = Text.match(new RegExp(`${escaped}\\?token=[\\w-]+`))?.[0];
  expect(link, `the link ${path}?token=… in the mail's text`).toBeTruthy();
  return link as string;
}
