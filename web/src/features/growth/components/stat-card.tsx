import type { ReactNode } from 'react';
import { TrendIndicator } from '@/features/growth/components/trend-indicator';

/** NOT_AVAILABLE is what a card shows for a number Instagram has not reported: never a 0. */
export const NOT_AVAILABLE = 'Not available yet';

/** StatCardProps: one number with a label, and optionally a trend and a hint. */
export interface StatCardProps {
  id: string;
  label: string;
  /** The formatted number; null when it is not known yet. */
  value: string | null;
  trend?: number | null;
  hint?: ReactNode;
  /** Why the value is not known, shown in place of the trend when `value` is null. */
  unavailableReason?: ReactNode;
}

/** StatCard is one tile of the stats grid. */
export function StatCard({ id, label, value, trend, hint, unavailableReason }: StatCardProps) {
  const labelId = `stat-${id}-label`;
  const known = value !== null;
  return (
    <section
      aria-labelledby={labelId}
      data-testid={`stat-${id}`}
      className="flex min-w-0 flex-col gap-1 rounded-2xl border border-white/15 bg-white/8 p-4 shadow-lg shadow-black/10 backdrop-blur-xl"
    >
      <h3 id={labelId} className="text-xs font-medium uppercase tracking-wide text-slate-300">
        {label}
      </h3>
      {known ? (
        <p className="truncate text-2xl font-bold tabular-nums text-white sm:text-3xl" data-testid={`stat-${id}-value`}>
          {value}
        </p>
      ) : (
        <p className="py-1 text-base font-semibold text-slate-100 sm:py-1.5 sm:text-lg" data-testid={`stat-${id}-value`} data-unavailable="true">
          {NOT_AVAILABLE}
        </p>
      )}
      <div className="flex min-h-5 flex-wrap items-center gap-x-2 text-xs text-slate-300">
        {known && trend !== undefined && <TrendIndicator value={trend} />}
        {known ? hint : unavailableReason}
      </div>
    </section>
  );
}
