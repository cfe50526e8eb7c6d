import { Link } from 'react-router';
import { Card, CardTitle } from '@/components/card';
import { EmptyState } from '@/components/empty-state';
import { ErrorState } from '@/components/error-state';
import { LoadingRegion, Skeleton } from '@/components/skeleton';
import { ADVICE_PERIOD, MIN_POSTS, type OutlierPost, type Recommendation, type Recommendations } from '@/features/advice/api/advice';
import {
  confidenceHint,
  confidenceLabel,
  effectText,
  engagementOf,
  metricName,
  postDate,
  sampleWords,
  strongestFirst,
} from '@/features/advice/lib/words';
import { cn } from '@/lib/cn';
import { formatInteger } from '@/lib/format';
import type { AsyncState } from '@/lib/use-async';

const confidenceTones: Record<string, string> = {
  high: 'bg-emerald-400/20 text-emerald-100 ring-emerald-300/40',
  medium: 'bg-sky-400/20 text-sky-100 ring-sky-300/40',
  low: 'bg-white/10 text-slate-200 ring-white/25',
};

/** NextSteps is the "What to do next" panel: advice, then the standout and flat posts. */
export function NextSteps({ state, onRetry }: { state: AsyncState<Recommendations>; onRetry: () => void }) {
  return (
    <Card className="flex min-w-0 flex-col gap-4" data-testid="next-steps">
      <div className="flex flex-col gap-1">
        <CardTitle>What to do next</CardTitle>
        <p className="text-xs text-slate-300">From your posts of the last {ADVICE_PERIOD} days; posts under a day old are not counted yet.</p>
      </div>
      <NextStepsBody state={state} onRetry={onRetry} />
    </Card>
  );
}

function NextStepsBody({ state, onRetry }: { state: AsyncState<Recommendations>; onRetry: () => void }) {
  if (state.status === 'error' && !state.data) {
    return <ErrorState error={state.error} onRetry={onRetry} title="Could not load your advice" />;
  }
  if (!state.data) {
    return (
      <LoadingRegion label="Loading your advice" className="flex flex-col gap-3">
        <Skeleton className="h-20 w-full rounded-xl" />
        <Skeleton className="h-20 w-full rounded-xl" />
      </LoadingRegion>
    );
  }
  const data = state.data;
  if (data.status === 'insufficient_data') {
    return (
      <EmptyState title="Not enough posts for advice yet">
        <span data-testid="advice-insufficient">
          Post at least {MIN_POSTS} times in this period to get advice — you have {formatInteger(data.posts_considered)}.
        </span>
      </EmptyState>
    );
  }
  const recs = strongestFirst(data.recommendations);
  return (
    <div className="flex flex-col gap-5" aria-busy={state.status === 'loading'}>
      {state.status === 'error' && <ErrorState error={state.error} onRetry={onRetry} title="Could not update your advice" />}
      {recs.length === 0 ? (
        <EmptyState title="No clear pattern yet">
          Across your {formatInteger(data.posts_considered)} posts, no format, time or caption style stands out from the rest. Keep posting:
          advice appears here as soon as a difference is clear.
        </EmptyState>
      ) : (
        <ol className="flex flex-col gap-3" aria-label="Suggestions, strongest first">
          {recs.map((rec, i) => (
            <Suggestion key={`${rec.kind}-${i}`} rec={rec} />
          ))}
        </ol>
      )}
      <OutlierLists outliers={data.outliers} />
    </div>
  );
}

function Suggestion({ rec }: { rec: Recommendation }) {
  const effect = effectText(rec.effect);
  return (
    <li className="flex flex-col gap-2 rounded-xl border border-white/10 bg-slate-950/30 p-3 sm:p-4" data-testid="suggestion">
      <div className="flex flex-col items-start gap-1.5 sm:flex-row sm:justify-between sm:gap-3">
        <p className="min-w-0 font-semibold text-white sm:flex-1" data-testid="suggestion-title">
          {rec.title}
        </p>
        <span
          title={confidenceHint(rec.confidence)}
          className={cn('shrink-0 rounded-full px-2.5 py-0.5 text-xs font-medium ring-1', confidenceTones[rec.confidence] ?? confidenceTones.low)}
          data-testid="suggestion-confidence"
        >
          {confidenceLabel(rec.confidence)}
        </span>
      </div>
      <p className="text-sm text-slate-200">{rec.detail}</p>
      <p className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-300">
        <span data-testid="suggestion-sample">{sampleWords(rec)}</span>
        {effect && (
          <span>
            {effect} {metricName(rec.metric)}
          </span>
        )}
      </p>
    </li>
  );
}

function OutlierLists({ outliers }: { outliers: Recommendations['outliers'] }) {
  const median = outliers.median_engagement;
  if (outliers.winners.length === 0 && outliers.laggards.length === 0) return null;
  const medianText = median === null ? null : formatInteger(median);
  return (
    <div className="flex flex-col gap-3">
      {medianText && (
        <p className="text-sm text-slate-200" data-testid="outliers-median">
          Your typical post gets <span className="font-semibold text-white">{medianText}</span> likes, comments, saves and shares (the median).
        </p>
      )}
      <div className="grid gap-4 md:grid-cols-2">
        <OutlierList
          title="Your standout posts"
          hint="Twice your median or more"
          posts={outliers.winners}
          median={median}
          tone="text-emerald-200"
          testId="winners"
        />
        <OutlierList
          title="Posts that fell flat"
          hint="Half your median or less"
          posts={outliers.laggards}
          median={median}
          tone="text-rose-200"
          testId="laggards"
        />
      </div>
    </div>
  );
}

function OutlierList({
  title,
  hint,
  posts,
  median,
  tone,
  testId,
}: {
  title: string;
  hint: string;
  posts: ReadonlyArray<OutlierPost>;
  median: number | null;
  tone: string;
  testId: string;
}) {
  return (
    <section className="flex min-w-0 flex-col gap-2" aria-label={title} data-testid={testId}>
      <h3 className="text-sm font-semibold text-white">
        {title} <span className="font-normal text-slate-300">· {hint}</span>
      </h3>
      {posts.length === 0 ? (
        <p className="text-sm text-slate-300">None in this period.</p>
      ) : (
        <ul className="flex flex-col gap-1.5">
          {posts.map((post) => {
            const eng = engagementOf(post);
            const times = eng !== null && median ? eng / median : null;
            return (
              <li key={post.id}>
                <Link
                  to={`/posts/${encodeURIComponent(post.id)}`}
                  className="flex items-baseline justify-between gap-3 rounded-lg px-2 py-1.5 text-sm hover:bg-white/10 focus-visible:outline-2 focus-visible:outline-amber-300"
                >
                  <span className="min-w-0 truncate text-slate-100">
                    <span className="text-slate-300">{postDate(post.posted_at)} · </span>
                    {post.caption.trim() || 'Post without a caption'}
                  </span>
                  <span className={cn('shrink-0 tabular-nums', tone)}>
                    {eng === null ? 'likes hidden' : formatInteger(eng)}
                    {times !== null && <span className="text-xs text-slate-300"> ({(Math.round(times * 10) / 10).toFixed(1)}×)</span>}
                  </span>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
