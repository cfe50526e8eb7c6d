import { describe, expect, it, vi } from 'vitest';
import { getSession, lastClearReason, resetSession, setSignedIn, setSignedOut, subscribeSession } from '@/lib/auth-token';
import { loadSession } from '@/lib/use-session';
import { safeNext } from '@/lib/safe-next';
import { apiError, mockFetch } from '@/testing/fetch-mock';
import { user } from '@/testing/fixtures';

describe('session state', () => {
  it('keeps no token anywhere the page can read', () => {
    setSignedIn(user());
    expect(getSession()).toEqual({ status: 'signed-in', user: user() });
    expect(window.localStorage.length).toBe(0);
    expect(window.sessionStorage.length).toBe(0);
    expect(document.cookie).toBe('');
  });

  it('tells subscribers and remembers why it was cleared', () => {
    const listener = vi.fn();
    const unsubscribe = subscribeSession(listener);
    setSignedIn(user());
    setSignedOut('logout');
    unsubscribe();
    setSignedIn(user());
    expect(listener).toHaveBeenCalledTimes(2);
    expect(lastClearReason()).toBeNull();
    setSignedOut('expired');
    expect(lastClearReason()).toBe('expired');
  });

  it('asks GET /api/user/me with the cookie when the session is unknown', async () => {
    resetSession();
    const { calls } = mockFetch({ 'GET /api/user/me': { body: user({ email: 'cookie@example.com' }) } });
    await Promise.all([loadSession(), loadSession()]);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.headers.get('Authorization')).toBeNull();
    expect(getSession()).toMatchObject({ status: 'signed-in', user: { email: 'cookie@example.com' } });
  });

  it('is signed out when GET /api/user/me answers 401', async () => {
    resetSession();
    mockFetch({ 'GET /api/user/me': apiError(401, 'unauthorized', 'no session') });
    await loadSession();
    expect(getSession()).toEqual({ status: 'signed-out' });
  });
});

describe('safeNext', () => {
  it('accepts same-site paths only', () => {
    expect(safeNext('/dashboard?period=7')).toBe('/dashboard?period=7');
    expect(safeNext('https://evil.example')).toBe('/dashboard');
    expect(safeNext('//evil.example')).toBe('/dashboard');
    expect(safeNext('/login?next=/x')).toBe('/dashboard');
    expect(safeNext(null)).toBe('/dashboard');
  });
});
