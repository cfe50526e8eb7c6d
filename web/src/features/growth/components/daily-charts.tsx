import { Card, CardTitle } from '@/components/card';
import { BarChart } from '@/components/charts/bar-chart';
import { EmptyState } from '@/components/empty-state';
import { formatDay, formatInteger } from '@/lib/format';
import type { DailyBucket } from '@/types/api';

function DailySeries({ title, unit, daily, pick, barClassName }: {
  title: string;
  unit: string;
  daily: ReadonlyArray<DailyBucket>;
  pick: (d: DailyBucket) => number;
  barClassName: string;
}) {
  const total = daily.reduce((sum, d) => sum + pick(d), 0);
  return (
    <Card className="flex min-w-0 flex-col gap-3">
      <div className="flex items-baseline justify-between gap-2">
        <CardTitle>{title}</CardTitle>
        <span className="text-sm tabular-nums text-slate-300">{formatInteger(total)} total</span>
      </div>
      {total === 0 ? (
        <EmptyState title={`No ${unit} in this period`}>New {unit} on your posts appear here day by day.</EmptyState>
      ) : (
        <BarChart
          title={title}
          unit={unit}
          barClassName={barClassName}
          data={daily.map((d) => ({ label: formatDay(d.date), value: pick(d) }))}
        />
      )}
    </Card>
  );
}

/** DailyCharts shows likes and comments per day of the window, on posts published that day. */
export function DailyCharts({ daily }: { daily: ReadonlyArray<DailyBucket> }) {
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <DailySeries title="Daily likes" unit="likes" daily={daily} pick={(d) => d.likes} barClassName="fill-fuchsia-400" />
      <DailySeries title="Daily comments" unit="comments" daily={daily} pick={(d) => d.comments} barClassName="fill-sky-400" />
    </div>
  );
}
