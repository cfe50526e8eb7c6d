import { Card } from '@/components/card';
import { LoadingRegion, Skeleton } from '@/components/skeleton';
import { BestTimesHeatmap } from '@/features/advice/components/best-times-heatmap';
import { ForecastCard } from '@/features/advice/components/forecast-card';
import { Goals } from '@/features/advice/components/goals';
import { NextSteps } from '@/features/advice/components/next-steps';
import { getRecommendations } from '@/features/advice/api/advice';
import { useAsync } from '@/lib/use-async';

/** AdviceSectionProps: the viewer's zone, the follower count now, and a key that reloads everything. */
export interface AdviceSectionProps {
  timeZone: string;
  followers?: number | null;
  /** A new value reloads the advice, the forecast and the goals (a finished sync). */
  reloadKey?: unknown;
}

/**
 * AdviceSection is "what to do next": the suggestions with their standout and flat posts,
 * the best hours to post, the follower forecast and the goals.
 */
export function AdviceSection({ timeZone, followers, reloadKey }: AdviceSectionProps) {
  const recs = useAsync((signal) => getRecommendations(timeZone, signal), [timeZone, reloadKey]);
  return (
    <section aria-label="What to do next" className="flex flex-col gap-4">
      <NextSteps state={recs} onRetry={recs.reload} />
      {recs.data ? (
        <BestTimesHeatmap bestTimes={recs.data.best_times} timeZone={timeZone} />
      ) : (
        recs.status === 'loading' && (
          <Card>
            <LoadingRegion label="Loading your best times">
              <Skeleton className="h-56 w-full rounded-xl" />
            </LoadingRegion>
          </Card>
        )
      )}
      <div className="grid items-start gap-4 lg:grid-cols-2">
        <ForecastCard timeZone={timeZone} reloadKey={reloadKey} />
        <Goals followers={followers} reloadKey={reloadKey} />
      </div>
    </section>
  );
}
