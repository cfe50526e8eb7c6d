import { Link } from 'react-router';
import { buttonClasses } from '@/components/button';
import { Card } from '@/components/card';
import { ErrorState } from '@/components/error-state';
import { LoadingRegion, Skeleton } from '@/components/skeleton';
import { BestPost, DailyCharts, MediaTypes, PostingTimes, Recommendation, StatCards, TopHashtags } from '@/features/growth';
import { getPublicReport } from '@/features/reports/api/reports';
import { isApiError } from '@/lib/api-error';
import { formatDateTime, formatInteger } from '@/lib/format';
import { useAsync } from '@/lib/use-async';
import type { GrowthStats, PublicStats } from '@/types/api';

/**
 * asDashboardStats lets the dashboard's components show a public report: its best post
 * has no id (the server keeps internal ids out of public reports), and the components
 * use the id only as a React key, for which Instagram's own id serves.
 */
function asDashboardStats(stats: PublicStats): GrowthStats {
  return { ...stats, best_post: stats.best_post ? { ...stats.best_post, id: stats.best_post.ig_post_id } : null };
}

function ReportNotFound() {
  return (
    <Card className="mx-auto flex max-w-lg flex-col items-center gap-4 text-center" data-testid="report-not-found">
      <p className="text-5xl font-extrabold text-white">404</p>
      <h1 className="text-xl font-bold text-white">This report link does not work</h1>
      <p className="text-slate-300">It may have expired or been revoked by its owner.</p>
      <Link to="/" className={buttonClasses('primary')}>
        Go to the home page
      </Link>
    </Card>
  );
}

/** PublicReportView is the read-only report a share link opens: no account controls, no email. */
export function PublicReportView({ token }: { token: string }) {
  const report = useAsync((signal) => getPublicReport(token, signal), [token]);
  if (report.status === 'error' && isApiError(report.error) && report.error.status === 404) {
    return <ReportNotFound />;
  }
  if (report.status === 'error') {
    return <ErrorState error={report.error} onRetry={report.reload} title="Could not load this report" />;
  }
  if (!report.data) {
    return (
      <LoadingRegion label="Loading the report" className="flex flex-col gap-4">
        <Skeleton className="h-10 w-2/3" />
        <Skeleton className="h-40 w-full rounded-2xl" />
      </LoadingRegion>
    );
  }
  const { username, followers } = report.data;
  const stats = asDashboardStats(report.data.stats);
  return (
    <article className="flex flex-col gap-4 sm:gap-6" data-testid="public-report">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-bold text-white sm:text-3xl">@{username}&apos;s growth report</h1>
        <p className="text-sm text-slate-300">
          Last {stats.period_days} days · {formatInteger(followers)} followers · up to {formatDateTime(stats.period_end)}
        </p>
      </header>
      <Recommendation message={stats.message} periodDays={stats.period_days} />
      <StatCards stats={stats} />
      <DailyCharts daily={stats.daily} />
      <div className="grid gap-4 lg:grid-cols-2">
        <BestPost post={stats.best_post} />
        <MediaTypes items={stats.media_types} />
        <PostingTimes items={stats.best_posting_times} timeZone="the report's time zone" />
        <TopHashtags items={stats.top_hashtags} />
      </div>
    </article>
  );
}
