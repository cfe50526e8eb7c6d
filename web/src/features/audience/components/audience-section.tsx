import { Card } from '@/components/card';
import { ErrorState } from '@/components/error-state';
import { LoadingRegion, Skeleton } from '@/components/skeleton';
import { getAudience } from '@/features/audience/api/audience';
import { DailyReach } from '@/features/audience/components/daily-reach';
import { DemographicsCard } from '@/features/audience/components/demographics';
import { FollowerGrowth } from '@/features/audience/components/follower-growth';
import { OnlineHeatmap } from '@/features/audience/components/online-heatmap';
import { formatAgo } from '@/lib/format';
import { useAsync } from '@/lib/use-async';
import type { Period } from '@/types/api';

function AudienceSkeleton() {
  return (
    <LoadingRegion label="Loading your audience" className="flex flex-col gap-4">
      <div className="grid gap-4 lg:grid-cols-2">
        <Skeleton className="h-80 rounded-2xl" />
        <Skeleton className="h-80 rounded-2xl" />
      </div>
      <Skeleton className="h-64 rounded-2xl" />
      <Skeleton className="h-72 rounded-2xl" />
    </LoadingRegion>
  );
}

/**
 * AudienceSection is the dashboard's account-level part: follower growth, daily reach,
 * when followers are online (in `timeZone`) and who they are. `reloadKey` reloads it.
 */
export function AudienceSection({ period, timeZone, reloadKey }: { period: Period; timeZone: string; reloadKey?: unknown }) {
  const audience = useAsync((signal) => getAudience(period, timeZone, signal), [period, timeZone, reloadKey]);
  const data = audience.data;

  let body;
  if (audience.status === 'error' && !data) {
    body = (
      <Card>
        <ErrorState error={audience.error} onRetry={audience.reload} title="Could not load your audience" />
      </Card>
    );
  } else if (!data) {
    body = <AudienceSkeleton />;
  } else {
    body = (
      <div className="flex flex-col gap-4" aria-busy={audience.status === 'loading'}>
        {audience.status === 'error' && <ErrorState error={audience.error} onRetry={audience.reload} title="Could not update your audience" />}
        <div className="grid gap-4 lg:grid-cols-2">
          <FollowerGrowth audience={data} />
          <DailyReach daily={data.daily} />
        </div>
        <OnlineHeatmap online={data.online_followers} followers={data.followers} timeZone={timeZone} />
        <DemographicsCard demographics={data.demographics} followers={data.followers} />
      </div>
    );
  }

  return (
    <section aria-labelledby="audience-heading" className="flex flex-col gap-4" data-testid="audience">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="audience-heading" className="text-xl font-bold text-white sm:text-2xl">
          Audience
        </h2>
        {data && (
          <p className="text-sm text-slate-300" data-testid="audience-freshness">
            {data.freshness.insights_synced_at
              ? `Account insights read ${formatAgo(data.freshness.insights_synced_at)}`
              : 'Account insights not read yet'}
          </p>
        )}
      </div>
      {body}
    </section>
  );
}
