import { describe, expect, it } from 'vitest';
import { getToken, isExpired, setToken } from '@/lib/auth-token';
import { safeNext } from '@/lib/safe-next';
import { fakeJwt } from '@/testing/fetch-mock';

describe('auth token', () => {
  it('drops an expired token', () => {
    setToken(fakeJwt(-10));
    expect(getToken()).toBeNull();
    expect(window.localStorage.length).toBe(0);
  });

  it('keeps a valid token and leaves tokens without exp to the server', () => {
    const token = fakeJwt(60);
    setToken(token);
    expect(getToken()).toBe(token);
    expect(isExpired('not-a-jwt')).toBe(false);
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
