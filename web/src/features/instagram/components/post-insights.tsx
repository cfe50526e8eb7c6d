import { Card, CardTitle } from '@/components/card';
import { EmptyState } from '@/components/empty-state';
import type { Post, PostInsights } from '@/types/api';
import { DASH, formatAgo, formatDateTime, formatDuration, formatInteger, formatPercent, formatSeconds } from '@/lib/format';

interface Metric {
  key: Exclude<keyof PostInsights, 'captured_at'>;
  label: string;
  format: (value: number | null) => string;
  help?: string | ((value: number) => string);
}

const core: Metric[] = [
  { key: 'views', label: 'Views', format: formatInteger, help: 'Times the post was shown' },
  { key: 'reach', label: 'Reach', format: formatInteger, help: 'Accounts that saw it' },
  { key: 'saved', label: 'Saves', format: formatInteger },
  { key: 'shares', label: 'Shares', format: formatInteger },
  { key: 'total_interactions', label: 'Interactions', format: formatInteger, help: 'Likes, comments, saves and shares' },
  { key: 'follows', label: 'Follows', format: formatInteger, help: 'People who followed you from it' },
  { key: 'profile_visits', label: 'Profile visits', format: formatInteger },
  { key: 'reposts', label: 'Reposts', format: formatInteger },
];

const reels: Metric[] = [
  { key: 'avg_watch_time_ms', label: 'Average watch time', format: formatSeconds },
  { key: 'total_watch_time_ms', label: 'Total watch time', format: formatSeconds, help: (ms) => `About ${formatDuration(ms)} in all` },
  { key: 'skip_rate', label: 'Skip rate', format: formatPercent, help: 'Viewers who swiped away in the first seconds' },
];

/** hasReelMetrics tells whether the post's watch-time metrics apply: Reels, or any reported. */
function hasReelMetrics(post: Post): boolean {
  const i = post.insights;
  return post.media_product_type === 'REELS' || Boolean(i && (i.avg_watch_time_ms !== null || i.total_watch_time_ms !== null || i.skip_rate !== null));
}

/** PostInsightsCard shows the post's latest insights; a metric Instagram did not report is a dash, never 0. */
export function PostInsightsCard({ post }: { post: Post }) {
  const insights = post.insights;
  return (
    <Card className="flex flex-col gap-4" data-testid="post-insights">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <CardTitle>Latest insights</CardTitle>
        {insights && (
          <span className="text-sm text-slate-300" data-testid="post-insights-read">
            Read {formatAgo(insights.captured_at)} ({formatDateTime(insights.captured_at)})
          </span>
        )}
      </div>
      {!insights ? (
        <EmptyState title="Insights not available yet">
          Instagram reports views, reach, saves and shares a little after a post goes up, and not for every kind of post. New posts
          are read every hour, older ones less often: check back later.
        </EmptyState>
      ) : (
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          {[...core, ...(hasReelMetrics(post) ? reels : [])].map((m) => {
            const raw = insights[m.key];
            const value = typeof raw === 'number' ? raw : null;
            return (
              <div key={m.key} className="flex min-w-0 flex-col gap-0.5 rounded-xl bg-white/5 p-3" data-testid={`insight-${m.key}`}>
                <dt className="text-xs font-medium uppercase tracking-wide text-slate-300">{m.label}</dt>
                <dd className="text-xl font-bold tabular-nums text-white" data-testid={`insight-${m.key}-value`}>
                  {value === null ? (
                    <>
                      <span aria-hidden="true">{DASH}</span>
                      <span className="sr-only">not available</span>
                    </>
                  ) : (
                    m.format(value)
                  )}
                </dd>
                {value === null ? (
                  <dd className="text-xs text-slate-400">Not reported by Instagram</dd>
                ) : (
                  m.help && <dd className="text-xs text-slate-400">{typeof m.help === 'string' ? m.help : m.help(value)}</dd>
                )}
              </div>
            );
          })}
        </dl>
      )}
    </Card>
  );
}
