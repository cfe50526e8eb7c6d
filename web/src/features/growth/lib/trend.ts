/** TrendDirection is how a trend is shown: up, down, flat (0) or none (unknown). */
export type TrendDirection = 'up' | 'down' | 'flat' | 'none';

/** TrendView is everything needed to render a trend without relying on colour. */
export interface TrendView {
  direction: TrendDirection;
  arrow: string;
  text: string;
  spoken: string;
  className: string;
}

/** describeTrend rounds a percentage change to one decimal and picks arrow, sign, colour and words. */
export function describeTrend(value: number | null | undefined): TrendView {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return { direction: 'none', arrow: '', text: '—', spoken: 'No trend data for this period', className: 'text-slate-300' };
  }
  const rounded = Math.round(value * 10) / 10;
  const magnitude = Math.abs(rounded).toFixed(1);
  if (rounded > 0) {
    return { direction: 'up', arrow: '▲', text: `+${magnitude}%`, spoken: `Up ${magnitude}% on the previous period`, className: 'text-emerald-300' };
  }
  if (rounded < 0) {
    return { direction: 'down', arrow: '▼', text: `−${magnitude}%`, spoken: `Down ${magnitude}% on the previous period`, className: 'text-rose-300' };
  }
  return { direction: 'flat', arrow: '▶', text: '0.0%', spoken: 'No change on the previous period', className: 'text-slate-300' };
}
