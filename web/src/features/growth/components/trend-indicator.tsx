import { describeTrend } from '@/features/growth/lib/trend';
import { cn } from '@/lib/cn';

/** TrendIndicator shows a change as arrow + signed percentage + colour, with words for screen readers. */
export function TrendIndicator({ value, className }: { value: number | null | undefined; className?: string }) {
  const trend = describeTrend(value);
  return (
    <span data-trend={trend.direction} className={cn('inline-flex items-center gap-1 text-sm font-semibold tabular-nums', trend.className, className)}>
      {trend.arrow && <span aria-hidden="true">{trend.arrow}</span>}
      <span aria-hidden="true">{trend.text}</span>
      <span className="sr-only">{trend.spoken}</span>
    </span>
  );
}
