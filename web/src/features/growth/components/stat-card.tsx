import type { ReactNode } from 'react';
import { TrendIndicator } from '@/features/growth/components/trend-indicator';

/** StatCardProps: one number with a label, and optionally a trend and a hint. */
export interface StatCardProps {
  id: string;
  label: string;
  value: string;
  trend?: number | null;
  hint?: ReactNode;
}

/** StatCard is one tile of the stats grid. */
export function StatCard({ id, label, value, trend, hint }: StatCardProps) {
  const labelId = `stat-${id}-label`;
  return (
    <section
      aria-labelledby={labelId}
      data-testid={`stat-${id}`}
      className="flex min-w-0 flex-col gap-1 rounded-2xl border border-white/15 bg-white/8 p-4 shadow-lg shadow-black/10 backdrop-blur-xl"
    >
      <h3 id={labelId} className="text-xs font-medium uppercase tracking-wide text-slate-300">
        {label}
      </h3>
      <p className="truncate text-2xl font-bold tabular-nums text-white sm:text-3xl" data-testid={`stat-${id}-value`}>
        {value}
      </p>
      <div className="flex min-h-5 flex-wrap items-center gap-x-2 text-xs text-slate-300">
        {trend !== undefined && <TrendIndicator value={trend} />}
        {hint}
      </div>
    </section>
  );
}
