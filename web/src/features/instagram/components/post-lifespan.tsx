import { Card, CardTitle } from '@/components/card';
import { LineChart } from '@/components/charts/line-chart';
import { EmptyState } from '@/components/empty-state';
import type { InsightsReading } from '@/types/api';

/** formatReadingTime labels a reading on the time axis ("Nov 25, 10 AM"). */
export function formatReadingTime(ms: number): string {
  return new Date(ms).toLocaleString('en-US', { month: 'short', day: 'numeric', hour: 'numeric' });
}

/** PostLifespan charts the post's views and reach over its insights readings, oldest first. */
export function PostLifespan({ history }: { history: ReadonlyArray<InsightsReading> }) {
  const readings = history.map((h) => ({ ...h, at: new Date(h.captured_at).getTime() })).filter((h) => Number.isFinite(h.at));
  const hasValues = readings.some((h) => h.views !== null || h.reach !== null);
  return (
    <Card className="flex min-w-0 flex-col gap-3" data-testid="post-lifespan">
      <CardTitle>Views and reach over time</CardTitle>
      {!hasValues ? (
        <EmptyState title="No insights readings yet">
          Each time Instagram's insights are read, a point is added here, so you can see how long the post keeps finding people.
        </EmptyState>
      ) : (
        <>
          <LineChart
            title="Views and reach over time"
            xHeader="Read at"
            formatX={formatReadingTime}
            series={[
              { key: 'views', name: 'Views', points: readings.map((h) => ({ x: h.at, y: h.views })), strokeClassName: 'stroke-fuchsia-400', fillClassName: 'fill-fuchsia-400' },
              { key: 'reach', name: 'Reach', points: readings.map((h) => ({ x: h.at, y: h.reach })), strokeClassName: 'stroke-sky-400', fillClassName: 'fill-sky-400' },
            ]}
          />
          <p className="text-xs text-slate-300">
            {readings.length === 1
              ? 'One reading so far: the curve grows with each new reading.'
              : `${readings.length} readings. Totals since the post went up, as Instagram reported them each time.`}
          </p>
        </>
      )}
    </Card>
  );
}
