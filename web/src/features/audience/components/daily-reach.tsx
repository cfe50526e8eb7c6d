import { Card, CardTitle } from '@/components/card';
import { LineChart } from '@/components/charts/line-chart';
import { EmptyState } from '@/components/empty-state';
import { averageOf, dayMs, formatDayMs } from '@/features/audience/lib/audience-format';
import { formatInteger } from '@/lib/format';
import type { AudienceDay } from '@/types/api';

/**
 * DailyReach shows the account's daily reach and views as curves with their daily
 * averages. Reach counts unique accounts per day, so it is never added up across days.
 */
export function DailyReach({ daily }: { daily: ReadonlyArray<AudienceDay> }) {
  const reach = averageOf(daily.map((d) => d.reach));
  const views = averageOf(daily.map((d) => d.views));
  return (
    <Card className="flex min-w-0 flex-col gap-4" data-testid="audience-reach">
      <CardTitle>Daily reach and views</CardTitle>
      {reach === null && views === null ? (
        <EmptyState title="Not available yet">
          Instagram reports how many accounts you reach each day; the figures appear after the next daily reading.
        </EmptyState>
      ) : (
        <>
          <dl className="grid grid-cols-2 gap-3">
            <div data-testid="audience-avg-reach">
              <dt className="text-xs font-medium uppercase tracking-wide text-slate-300">Average reach a day</dt>
              <dd className="text-2xl font-bold tabular-nums text-white" data-testid="audience-avg-reach-value">
                {reach === null ? 'Not available yet' : formatInteger(Math.round(reach))}
              </dd>
            </div>
            <div data-testid="audience-avg-views">
              <dt className="text-xs font-medium uppercase tracking-wide text-slate-300">Average views a day</dt>
              <dd className="text-2xl font-bold tabular-nums text-white" data-testid="audience-avg-views-value">
                {views === null ? 'Not available yet' : formatInteger(Math.round(views))}
              </dd>
            </div>
          </dl>
          <LineChart
            title="Accounts reached and views per day"
            xHeader="Date"
            formatX={formatDayMs}
            height={180}
            series={[
              { key: 'reach', name: 'Accounts reached', points: daily.map((d) => ({ x: dayMs(d.date), y: d.reach })), strokeClassName: 'stroke-sky-400', fillClassName: 'fill-sky-400' },
              { key: 'views', name: 'Views', points: daily.map((d) => ({ x: dayMs(d.date), y: d.views })), strokeClassName: 'stroke-amber-300', fillClassName: 'fill-amber-300' },
            ]}
          />
          <p className="text-xs text-slate-400">
            Each day counts unique accounts, and the same person can be reached on many days, so days are averaged, not added up.
          </p>
        </>
      )}
    </Card>
  );
}
