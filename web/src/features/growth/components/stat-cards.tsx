import { StatCard } from '@/features/growth/components/stat-card';
import { formatDecimal, formatInteger, formatPercent } from '@/lib/format';
import type { GrowthStats } from '@/types/api';

/** StatCards is the grid of headline numbers for the period. */
export function StatCards({ stats }: { stats: GrowthStats }) {
  return (
    <div className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4">
      <StatCard id="total-posts" label="Posts" value={formatInteger(stats.total_posts)} hint={`Previous period: ${formatInteger(stats.previous.total_posts)}`} />
      <StatCard id="total-likes" label="Likes" value={formatInteger(stats.total_likes)} trend={stats.likes_trend} />
      <StatCard id="total-comments" label="Comments" value={formatInteger(stats.total_comments)} trend={stats.comments_trend} />
      <StatCard id="followers" label="Followers" value={formatInteger(stats.followers)} trend={stats.followers_trend} />
      <StatCard id="avg-likes" label="Avg likes / post" value={formatDecimal(stats.avg_likes)} />
      <StatCard id="avg-comments" label="Avg comments / post" value={formatDecimal(stats.avg_comments)} />
      <StatCard id="engagement-rate" label="Engagement rate" value={formatPercent(stats.engagement_rate)} hint="Per post, of followers" />
      <StatCard id="posts-per-week" label="Posts / week" value={formatDecimal(stats.posts_per_week)} hint={`This week: ${formatInteger(stats.posts_this_week)}`} />
    </div>
  );
}
