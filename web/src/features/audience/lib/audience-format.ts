import { formatHour } from '@/lib/format';

/** dayMs turns a `YYYY-MM-DD` date into the UTC midnight of that date, for a time axis. */
export function dayMs(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
}

/** formatDayMs labels a UTC-midnight time as its calendar date ("Nov 3"). */
export function formatDayMs(ms: number): string {
  return new Date(ms).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/** averageOf is the mean of the known values, or null when there is none: daily reach is averaged, never summed. */
export function averageOf(values: ReadonlyArray<number | null>): number | null {
  const known = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (known.length === 0) return null;
  return known.reduce((a, b) => a + b, 0) / known.length;
}

/** shortHour labels an hour column compactly ("12a", "6p"). */
export function shortHour(hour: number): string {
  return formatHour(hour).replace(' am', 'a').replace(' pm', 'p');
}

/** Slot is one weekday/hour cell with its value. */
export interface Slot {
  weekday: number;
  hour: number;
  value: number;
}

/** busiestSlots returns the `n` cells with the most followers online, highest first (ties: earlier in the week). */
export function busiestSlots(grid: ReadonlyArray<ReadonlyArray<number | null>>, n = 3): Slot[] {
  const slots: Slot[] = [];
  grid.forEach((row, weekday) =>
    row.forEach((value, hour) => {
      if (typeof value === 'number' && Number.isFinite(value)) slots.push({ weekday, hour, value });
    }),
  );
  slots.sort((a, b) => b.value - a.value || a.weekday - b.weekday || a.hour - b.hour);
  return slots.slice(0, n);
}

const genders: Record<string, string> = { F: 'Women', M: 'Men', U: 'Not specified' };

/** genderName turns Instagram's gender keys into words, keeping unknown keys as they are. */
export function genderName(key: string): string {
  return genders[key.toUpperCase()] ?? key;
}

let regions: Intl.DisplayNames | null | undefined;

/** countryName turns a two-letter country code into its English name ("US" → "United States"). */
export function countryName(code: string): string {
  if (regions === undefined) {
    try {
      regions = new Intl.DisplayNames(['en'], { type: 'region' });
    } catch {
      regions = null;
    }
  }
  if (!regions || !/^[A-Za-z]{2}$/.test(code)) return code;
  try {
    return regions.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}
