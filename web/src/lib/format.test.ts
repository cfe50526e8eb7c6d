import { describe, expect, it } from 'vitest';
import { parseEnv } from '@/config/env';
import { formatAgo, formatDay, formatDuration, formatDecimal, formatHour, formatIn, formatInteger, formatPercent, formatSeconds, formatSigned, weekdayName } from '@/lib/format';

describe('format', () => {
  it('renders numbers and a dash for unknown values', () => {
    expect(formatInteger(3400)).toBe('3,400');
    expect(formatInteger(null)).toBe('—');
    expect(formatDecimal(283.333)).toBe('283.33');
    expect(formatDecimal(17.5)).toBe('17.5');
    expect(formatPercent(24.44)).toBe('24.4%');
    expect(formatPercent(null)).toBe('—');
  });

  it('renders calendar dates without shifting the day', () => {
    expect(formatDay('2026-10-27')).toBe('Oct 27');
  });

  it('renders weekdays (0 = Sunday) and hours', () => {
    expect(weekdayName(0)).toBe('Sunday');
    expect(weekdayName(2)).toBe('Tuesday');
    expect(formatHour(0)).toBe('12 am');
    expect(formatHour(12)).toBe('12 pm');
    expect(formatHour(18)).toBe('6 pm');
  });
});

describe('format of insights', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');

  it('renders watch times in seconds', () => {
    expect(formatSeconds(8400)).toBe('8.4 s');
    expect(formatSeconds(0)).toBe('0.0 s');
    expect(formatSeconds(10_080_000)).toBe('10,080 s');
    expect(formatSeconds(null)).toBe('—');
    expect(formatDuration(40_245_000)).toBe('11 h 11 min');
    expect(formatDuration(7_200_000)).toBe('2 h');
    expect(formatDuration(240_000)).toBe('4 min');
    expect(formatDuration(null)).toBe('—');
  });

  it('says how long ago and how soon', () => {
    expect(formatAgo('2026-11-25T11:59:40Z', now)).toBe('just now');
    expect(formatAgo('2026-11-25T11:55:00Z', now)).toBe('5 min ago');
    expect(formatAgo('2026-11-25T10:30:00Z', now)).toBe('1 h ago');
    expect(formatAgo('2026-11-24T11:00:00Z', now)).toBe('1 day ago');
    expect(formatAgo('2026-11-20T12:00:00Z', now)).toBe('5 days ago');
    expect(formatAgo(null, now)).toBe('never');
    expect(formatAgo('garbage', now)).toBe('never');
    expect(formatIn('2026-11-25T12:25:00Z', now)).toBe('in 25 min');
    expect(formatIn('2026-11-25T15:00:00Z', now)).toBe('in 3 h');
    expect(formatIn('2026-11-25T11:00:00Z', now)).toBe('now');
    expect(formatIn(null, now)).toBe('not scheduled');
  });

  it('signs net changes', () => {
    expect(formatSigned(268)).toBe('+268');
    expect(formatSigned(-1200)).toBe('−1,200');
    expect(formatSigned(0)).toBe('0');
    expect(formatSigned(null)).toBe('—');
  });
});

describe('parseEnv', () => {
  it('defaults to same-origin calls without analytics', () => {
    expect(parseEnv({})).toEqual({ apiBaseUrl: '', vercelAnalytics: false });
  });

  it('accepts a base URL and trims its slash', () => {
    expect(parseEnv({ VITE_API_BASE_URL: 'https://api.example.com/', VITE_VERCEL_ANALYTICS: 'true' })).toEqual({
      apiBaseUrl: 'https://api.example.com',
      vercelAnalytics: true,
    });
  });

  it('rejects bad values with a readable message', () => {
    expect(() => parseEnv({ VITE_API_BASE_URL: 'ftp://x' })).toThrow(/VITE_API_BASE_URL/);
    expect(() => parseEnv({ VITE_VERCEL_ANALYTICS: 'yes' })).toThrow(/VITE_VERCEL_ANALYTICS/);
  });
});
