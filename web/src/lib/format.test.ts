import { describe, expect, it } from 'vitest';
import { parseEnv } from '@/config/env';
import { formatDay, formatDecimal, formatHour, formatInteger, formatPercent, weekdayName } from '@/lib/format';

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
