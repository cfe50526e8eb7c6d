import { useState } from 'react';
import { Card, CardTitle } from '@/components/card';
import { BandChart } from '@/components/charts/band-chart';
import { EmptyState } from '@/components/empty-state';
import { ErrorState } from '@/components/error-state';
import { SegmentedControl } from '@/components/segmented-control';
import { LoadingRegion, Skeleton } from '@/components/skeleton';
import {
  getFollowerHistory,
  getForecast,
  HORIZONS,
  MIN_HISTORY_DAYS,
  type Forecast,
  type FollowerDay,
  type Horizon,
} from '@/features/advice/api/advice';
import { formatDay, formatInteger } from '@/lib/format';
import { useAsync, type AsyncState } from '@/lib/use-async';

const horizonLabels: Record<Horizon, string> = { 7: '1 week', 30: '1 month', 90: '3 months' };
const options = HORIZONS.map((h) => ({ value: h, label: horizonLabels[h] }));

/** dayMs turns a `YYYY-MM-DD` date into its UTC midnight in ms. */
export function dayMs(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
}

const formatX = (x: number) => formatDay(new Date(x).toISOString().slice(0, 10));

/** ForecastCard draws the follower history and its forecast, with a choice of how far ahead. */
export function ForecastCard({ timeZone, reloadKey }: { timeZone: string; reloadKey?: unknown }) {
  const [horizon, setHorizon] = useState<Horizon>(30);
  const forecast = useAsync((signal) => getForecast(horizon, signal), [horizon, reloadKey]);
  const history = useAsync((signal) => getFollowerHistory(timeZone, signal), [timeZone, reloadKey]);

  return (
    <Card className="flex min-w-0 flex-col gap-4" data-testid="forecast">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex flex-col gap-1">
          <CardTitle>Where your followers are heading</CardTitle>
          <p className="text-xs text-slate-300">A forecast from your daily follower counts, with the range it will most likely stay in.</p>
        </div>
        <SegmentedControl label="How far ahead" options={options} value={horizon} onChange={setHorizon} />
      </div>
      <ForecastBody forecast={forecast} history={history} onRetry={forecast.reload} />
    </Card>
  );
}

function ForecastBody({
  forecast,
  history,
  onRetry,
}: {
  forecast: AsyncState<Forecast>;
  history: AsyncState<FollowerDay[]>;
  onRetry: () => void;
}) {
  if (forecast.status === 'error' && !forecast.data) {
    return <ErrorState error={forecast.error} onRetry={onRetry} title="Could not load the forecast" />;
  }
  if (!forecast.data) {
    return (
      <LoadingRegion label="Loading the forecast">
        <Skeleton className="h-56 w-full rounded-xl" />
      </LoadingRegion>
    );
  }
  const data = forecast.data;
  if (data.status === 'insufficient_data' || data.points.length === 0) {
    return (
      <EmptyState title="Not enough history for a forecast yet">
        <span data-testid="forecast-insufficient">
          We need {MIN_HISTORY_DAYS} days of follower history; we have {formatInteger(data.history_days)}.
        </span>{' '}
        Your follower count is recorded every time your posts sync.
      </EmptyState>
    );
  }
  const points = data.points.map((p) => ({ x: dayMs(p.date), y: p.value, low: p.low, high: p.high }));
  const firstForecast = points[0]?.x ?? Infinity;
  const past = (history.data ?? [])
    .map((d) => ({ x: dayMs(d.date), y: d.followers }))
    .filter((p) => p.x < firstForecast)
    .sort((a, b) => a.x - b.x);
  const last = data.points[data.points.length - 1];
  return (
    <div className="flex flex-col gap-3" aria-busy={forecast.status === 'loading'}>
      {last && (
        <p className="text-sm text-slate-100" data-testid="forecast-summary">
          By {formatDay(last.date)}: about <span className="font-semibold text-white">{formatInteger(last.value)}</span> followers, most likely
          between {formatInteger(last.low)} and {formatInteger(last.high)}.
        </p>
      )}
      <BandChart title="Followers" unit="followers" history={past} forecast={points} formatX={formatX} />
      {history.status === 'error' && (
        <p className="text-xs text-slate-300">Your past follower counts could not be loaded, so only the forecast is drawn.</p>
      )}
      <p className="text-xs text-slate-300">
        From {formatInteger(data.history_days)} days of follower counts. The shaded band holds the count 8 times out of 10.
      </p>
    </div>
  );
}
