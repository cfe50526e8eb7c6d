import { describe, expect, it, vi } from 'vitest';
import { api, buildUrl } from '@/lib/api-client';
import { ApiError, describeError } from '@/lib/api-error';
import { getSession, setSignedIn } from '@/lib/auth-token';
import { apiError, mockFetch } from '@/testing/fetch-mock';
import { user } from '@/testing/fixtures';

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('api client', () => {
  it('returns the parsed JSON body and lets the browser send the session cookie', async () => {
    setSignedIn(user());
    const { fetchMock, calls } = mockFetch({ 'GET /api/user/me': { body: user({ email: 'a@b.co' }) } });

    const me = await api<{ email: string }>('/api/user/me');

    expect(me.email).toBe('a@b.co');
    expect(calls[0]?.headers.get('Authorization')).toBeNull();
    expect(fetchMock.mock.calls[0]?.[1]?.credentials).toBe('include');
  });

  it('encodes JSON bodies', async () => {
    const { calls } = mockFetch({ 'POST /api/auth/login': { body: { token: 't' } } });

    await api('/api/auth/login', { method: 'POST', body: { email: 'a@b.co', password: 'pw' }, auth: false });

    expect(calls[0]?.headers.get('Authorization')).toBeNull();
    expect(calls[0]?.headers.get('Content-Type')).toBe('application/json');
    expect(calls[0]?.body).toEqual({ email: 'a@b.co', password: 'pw' });
  });

  it('maps {"error","code"} bodies to ApiError', async () => {
    mockFetch({ 'POST /api/auth/register': apiError(409, 'email_taken', 'email already registered') });

    const error = await failure(api('/api/auth/register', { method: 'POST', body: {}, auth: false }));

    expect(error).toMatchObject({ status: 409, code: 'email_taken', message: 'email already registered' });
    expect(describeError(error)).toBe('An account with this email already exists. Try logging in instead.');
  });

  it('turns a non-JSON 502 page into a readable error', async () => {
    mockFetch({ 'GET /api/growth/stats': { status: 502, text: '<html><body>Bad Gateway</body></html>' } });

    const error = await failure(api('/api/growth/stats'));

    expect(error).toMatchObject({ status: 502, code: 'server_unreachable' });
    expect(error.message).toBe('The server is not reachable right now.');
    expect(describeError(error)).not.toContain('<html>');
  });

  it('reports a network failure as status 0', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));

    const error = await failure(api('/api/user/me'));

    expect(error).toMatchObject({ status: 0, code: 'network_error' });
    expect(describeError(error)).toMatch(/could not reach the server/i);
  });

  it('ends the session on a 401 from an authenticated call', async () => {
    setSignedIn(user());
    mockFetch({ 'GET /api/instagram/posts': apiError(401, 'unauthorized', 'token expired') });

    const error = await failure(api('/api/instagram/posts'));

    expect(error.status).toBe(401);
    expect(getSession()).toEqual({ status: 'signed-out' });
  });

  it('keeps the session on a 401 of a call that authenticates otherwise (wrong admin password)', async () => {
    setSignedIn(user());
    mockFetch({ 'GET /api/admin/waitlist': apiError(401, 'unauthorized', 'wrong password') });

    await failure(api('/api/admin/waitlist', { auth: false }));

    expect(getSession().status).toBe('signed-in');
  });

  it('reads Retry-After on 429 and says how long to wait', async () => {
    mockFetch({
      'POST /api/auth/login': apiError(429, 'rate_limited', 'too many requests', { 'Retry-After': '42' }),
    });

    const error = await failure(api('/api/auth/login', { method: 'POST', body: {}, auth: false }));

    expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryAfter: 42 });
    expect(describeError(error)).toBe('Too many attempts. Please try again in 42 seconds.');
  });

  it('treats a 429 without a JSON body as rate limited', async () => {
    mockFetch({ 'POST /api/auth/login': { status: 429, text: 'slow down', headers: { 'Retry-After': '120' } } });

    const error = await failure(api('/api/auth/login', { method: 'POST', auth: false }));

    expect(error.code).toBe('rate_limited');
    expect(describeError(error)).toBe('Too many attempts. Please try again in 2 minutes.');
  });

  it('falls back to the server sentence for unknown codes', () => {
    expect(describeError(new ApiError(400, 'something_new', 'The field x is wrong.'))).toBe('The field x is wrong.');
    expect(describeError(new ApiError(500, 'internal', 'pq: relation does not exist'))).not.toContain('pq:');
    expect(describeError(new Error('boom'))).toMatch(/unexpected/i);
  });

  it('builds query strings and skips empty values', () => {
    expect(buildUrl('/api/instagram/posts', { limit: 20, before: undefined })).toBe('/api/instagram/posts?limit=20');
    expect(buildUrl('/api/growth/stats', { period: 7, tz: 'Europe/Berlin' })).toBe('/api/growth/stats?period=7&tz=Europe%2FBerlin');
  });
});
