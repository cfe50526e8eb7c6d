import { formatAgo, formatIn, formatInteger } from '@/lib/format';
import type { GrowthStats } from '@/types/api';

/**
 * coverageText says for how many of the period's posts Instagram has sent insights. The
 * share comes rounded to 2 decimals, so a count is only given while it is exact (up to
 * 100 posts); beyond that the share is given as a percentage.
 */
export function coverageText(coverage: number | null, totalPosts: number): string {
  if (coverage === null || totalPosts === 0) return 'No posts in this period, so no insights yet.';
  const plural = totalPosts === 1 ? 'post' : 'posts';
  if (totalPosts <= 100) {
    const withInsights = Math.round(coverage * totalPosts);
    if (withInsights === 0) return `No insights yet for the ${formatInteger(totalPosts)} ${plural} of this period.`;
    return `Insights for ${formatInteger(withInsights)} of ${formatInteger(totalPosts)} ${plural}.`;
  }
  return `Insights for ${Math.round(coverage * 100)}% of ${formatInteger(totalPosts)} ${plural}.`;
}

/** freshnessText says when posts and insights were last read ("Posts synced 5 min ago, insights 1 h ago."). */
export function freshnessText(freshness: GrowthStats['freshness'], now: number = Date.now()): string {
  const posts = freshness.posts_synced_at ? `Posts synced ${formatAgo(freshness.posts_synced_at, now)}` : 'Posts not synced yet';
  const insights = freshness.insights_synced_at ? `insights ${formatAgo(freshness.insights_synced_at, now)}` : 'insights not read yet';
  const next = freshness.next_sync_at ? ` Next sync ${formatIn(freshness.next_sync_at, now)}.` : '';
  return `${posts}, ${insights}.${next}`;
}

/** InsightsStatus tells honestly how complete and how recent the insights numbers are. */
export function InsightsStatus({ stats, now }: { stats: GrowthStats; now?: number }) {
  const partial = stats.insights_coverage !== null && stats.insights_coverage < 1;
  return (
    <div className="flex flex-col gap-1 text-sm text-slate-300 sm:flex-row sm:flex-wrap sm:gap-x-3">
      <p data-testid="insights-coverage">
        <span className="font-medium text-slate-100">{coverageText(stats.insights_coverage, stats.total_posts)}</span>
        {partial && ' Views, reach, saves and shares count only the posts with insights; Instagram sends them a little after posting.'}
      </p>
      <p data-testid="insights-freshness">{freshnessText(stats.freshness, now)}</p>
    </div>
  );
}
