import { describe, expect, it } from 'vitest';
import { readCallbackResult, UNKNOWN_REASON_TEXT } from '@/features/instagram/lib/callback-result';

const errorWith = (reason: string | null) => {
  const params = new URLSearchParams({ instagram: 'error' });
  if (reason !== null) params.set('reason', reason);
  return readCallbackResult(params);
};

describe('readCallbackResult', () => {
  it.each([
    ['denied', /access was denied/],
    ['invalid_state', /expired or was already used/],
    ['exchange_failed', /did not confirm/],
    ['already_linked', /already linked to another user/],
    ['internal', /went wrong on our side/],
  ])('explains the known reason %s', (reason, text) => {
    const result = errorWith(reason);
    expect(result?.tone).toBe('error');
    expect(result?.text).toMatch(text);
    expect(result?.text).not.toBe(UNKNOWN_REASON_TEXT);
  });

  it.each([
    ['missing', null],
    ['empty', ''],
    ['unknown', 'quota_exceeded'],
    ['differently cased', 'DENIED'],
    ['padded', ' denied '],
    ['inherited __proto__', '__proto__'],
    ['inherited constructor', 'constructor'],
    ['inherited toString', 'toString'],
    ['script', '<script>alert(1)</script>'],
    ['markup', '"><img src=x onerror=alert(1)>'],
    ['very long', 'x'.repeat(100_000)],
    ['non-ASCII', 'ошибка\u0000\u202e'],
  ])('shows the generic message for a %s reason', (_name, reason) => {
    expect(errorWith(reason)).toEqual({ tone: 'error', text: UNKNOWN_REASON_TEXT });
  });

  it('ignores a reason without instagram=error', () => {
    expect(readCallbackResult(new URLSearchParams({ reason: 'denied' }))).toBeNull();
    expect(readCallbackResult(new URLSearchParams({ instagram: '<b>x</b>', reason: 'denied' }))).toBeNull();
  });

  it('welcomes instagram=connected', () => {
    expect(readCallbackResult(new URLSearchParams({ instagram: 'connected' }))?.tone).toBe('success');
  });
});
