import { StatCard } from '@/features/growth/components/stat-card';
import { formatDecimal, formatInteger, formatPercent } from '@/lib/format';
import type { GrowthStats } from '@/types/api';

/** insightValue formats an insights total, null when Instagram reported it for no post. */
function insightValue(value: number | null): string | null {
  return value === null ? null : formatInteger(value);
}

/** unavailableReason explains in plain words why an insights number is missing. */
export function unavailableReason(stats: Pick<GrowthStats, 'total_posts'>, what: string): string {
  return stats.total_posts === 0
    ? `No posts in this period, so no ${what} to count.`
    : `Instagram has not reported ${what} for these posts yet.`;
}

/** StatCards is the grid of headline numbers for the period. */
export function StatCards({ stats }: { stats: GrowthStats }) {
  return (
    <div className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4">
      <StatCard
        id="total-posts"
        label="Posts"
        value={formatInteger(stats.total_posts)}
        hint={
          <>
            <span>Previous period: {formatInteger(stats.previous.total_posts)}</span>
            <span>
              <span data-testid="stat-posts-per-week-value">{formatDecimal(stats.posts_per_week)}</span> a week, {formatInteger(stats.posts_this_week)} this week
            </span>
          </>
        }
      />
      <StatCard id="total-likes" label="Likes" value={formatInteger(stats.total_likes)} trend={stats.likes_trend} />
      <StatCard id="total-comments" label="Comments" value={formatInteger(stats.total_comments)} trend={stats.comments_trend} />
      <StatCard id="followers" label="Followers" value={formatInteger(stats.followers)} trend={stats.followers_trend} />
      <StatCard
        id="total-views"
        label="Views"
        value={insightValue(stats.total_views)}
        trend={stats.views_trend}
        unavailableReason={unavailableReason(stats, 'views')}
      />
      <StatCard
        id="total-reach"
        label="Reach"
        value={insightValue(stats.total_reach)}
        trend={stats.reach_trend}
        hint="Accounts reached, added up per post"
        unavailableReason={unavailableReason(stats, 'reach')}
      />
      <StatCard
        id="total-saves"
        label="Saves"
        value={insightValue(stats.total_saves)}
        trend={stats.saves_trend}
        unavailableReason={unavailableReason(stats, 'saves')}
      />
      <StatCard
        id="total-shares"
        label="Shares"
        value={insightValue(stats.total_shares)}
        trend={stats.shares_trend}
        unavailableReason={unavailableReason(stats, 'shares')}
      />
      <StatCard id="avg-likes" label="Avg likes / post" value={formatDecimal(stats.avg_likes)} />
      <StatCard id="avg-comments" label="Avg comments / post" value={formatDecimal(stats.avg_comments)} />
      <StatCard id="engagement-rate" label="Engagement rate" value={formatPercent(stats.engagement_rate)} hint="Per post, of followers" />
      <StatCard
        id="engagement-rate-by-reach"
        label="Engagement by reach"
        value={stats.engagement_rate_by_reach === null ? null : formatPercent(stats.engagement_rate_by_reach)}
        hint="Per post, of accounts reached"
        unavailableReason={unavailableReason(stats, 'reach')}
      />
    </div>
  );
}
