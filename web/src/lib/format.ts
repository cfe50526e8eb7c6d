const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const twoDecimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** DASH stands for a value the server does not know. */
export const DASH = '—';

function known(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** formatInteger renders a count with thousands separators, or a dash. */
export function formatInteger(value: number | null | undefined): string {
  return known(value) ? integer.format(value) : DASH;
}

/** formatDecimal renders an average with at most two decimals, or a dash. */
export function formatDecimal(value: number | null | undefined): string {
  return known(value) ? twoDecimals.format(value) : DASH;
}

/** formatPercent renders a rate with one decimal and a % sign, or a dash. */
export function formatPercent(value: number | null | undefined): string {
  return known(value) ? `${oneDecimal.format(value)}%` : DASH;
}

/** formatCompact renders a number short (1.2K) for chart labels. */
export function formatCompact(value: number): string {
  return new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

/** formatDateTime renders an RFC 3339 time in the user's locale, or a fallback. */
export function formatDateTime(iso: string | null | undefined, fallback = 'never'): string {
  if (!iso) return fallback;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return fallback;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** formatDay renders a `YYYY-MM-DD` calendar date as "Oct 27" without shifting time zones. */
export function formatDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  if (!y || !m || !d) return date;
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** weekdayName maps 0 = Sunday … 6 = Saturday. */
export function weekdayName(weekday: number): string {
  return weekdays[weekday] ?? `Day ${weekday}`;
}

/** formatHour renders 0–23 as "12 am" … "11 pm". */
export function formatHour(hour: number): string {
  const h = ((hour % 24) + 24) % 24;
  const suffix = h < 12 ? 'am' : 'pm';
  const twelve = h % 12 === 0 ? 12 : h % 12;
  return `${twelve} ${suffix}`;
}

/** browserTimeZone is the IANA zone of this browser, UTC when unknown. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** formatSeconds renders a duration in milliseconds as seconds ("8.4 s", "10,080 s"), or a dash. */
export function formatSeconds(ms: number | null | undefined): string {
  if (!known(ms)) return DASH;
  const seconds = ms / 1000;
  return `${seconds < 100 ? oneDecimal.format(seconds) : integer.format(seconds)} s`;
}

/**
 * formatAgo renders how long ago an RFC 3339 time was ("just now", "5 min ago", "1 h ago",
 * "3 days ago"), or `fallback` when there is no time. A time in the future reads "just now".
 */
export function formatAgo(iso: string | null | undefined, now: number = Date.now(), fallback = 'never'): string {
  if (!iso) return fallback;
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return fallback;
  const minutes = Math.floor((now - then) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  return `${days} ${days === 1 ? 'day' : 'days'} ago`;
}

/** formatIn renders how far ahead an RFC 3339 time is ("in 25 min", "in 2 h"), "now" when due. */
export function formatIn(iso: string | null | undefined, now: number = Date.now(), fallback = 'not scheduled'): string {
  if (!iso) return fallback;
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return fallback;
  const minutes = Math.ceil((then - now) / 60_000);
  if (minutes <= 0) return 'now';
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `in ${hours} h`;
  const days = Math.round(hours / 24);
  return `in ${days} ${days === 1 ? 'day' : 'days'}`;
}

/** formatSigned renders a count with an explicit sign ("+268", "−12", "0"), or a dash. */
export function formatSigned(value: number | null | undefined): string {
  if (!known(value)) return DASH;
  if (value > 0) return `+${integer.format(value)}`;
  if (value < 0) return `−${integer.format(-value)}`;
  return '0';
}

/** formatDuration renders milliseconds as hours and minutes ("11 h 11 min", "4 min"), or a dash. */
export function formatDuration(ms: number | null | undefined): string {
  if (!known(ms)) return DASH;
  const minutes = Math.round(ms / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
