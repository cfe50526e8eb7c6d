import { ErrorState } from '@/components/error-state';
import { LoadingRegion } from '@/components/skeleton';
import { StatsSkeleton } from '@/features/dashboard/components/dashboard-skeleton';
import { BestPost, DailyCharts, InsightsStatus, MediaTypes, PostingTimes, Recommendation, StatCards, TopHashtags } from '@/features/growth';
import type { AsyncState } from '@/lib/use-async';
import type { GrowthStats } from '@/types/api';

/** StatsSection renders the stats of the period with its loading and error states. */
export function StatsSection({ stats, timeZone, onRetry }: { stats: AsyncState<GrowthStats>; timeZone: string; onRetry: () => void }) {
  if (stats.status === 'error' && !stats.data) {
    return <ErrorState error={stats.error} onRetry={onRetry} title="Could not load your stats" />;
  }
  if (!stats.data) {
    return (
      <LoadingRegion label="Loading your stats">
        <StatsSkeleton />
      </LoadingRegion>
    );
  }
  const data = stats.data;
  return (
    <div className="flex flex-col gap-4" aria-busy={stats.status === 'loading'}>
      {stats.status === 'error' && <ErrorState error={stats.error} onRetry={onRetry} title="Could not update your stats" />}
      <Recommendation message={data.message} periodDays={data.period_days} />
      <StatCards stats={data} />
      <InsightsStatus stats={data} />
      <DailyCharts daily={data.daily} />
      <div className="grid gap-4 lg:grid-cols-2">
        <BestPost post={data.best_post} />
        <MediaTypes items={data.media_types} />
        <PostingTimes items={data.best_posting_times} timeZone={timeZone} />
        <TopHashtags items={data.top_hashtags} />
      </div>
    </div>
  );
}
