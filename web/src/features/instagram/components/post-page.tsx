import { Link } from 'react-router';
import { buttonClasses } from '@/components/button';
import { Card } from '@/components/card';
import { ErrorState } from '@/components/error-state';
import { PostImage } from '@/components/post-image';
import { LoadingRegion, Skeleton } from '@/components/skeleton';
import { getPost } from '@/features/instagram/api/instagram';
import { PostInsightsCard } from '@/features/instagram/components/post-insights';
import { PostLifespan } from '@/features/instagram/components/post-lifespan';
import { isApiError } from '@/lib/api-error';
import { formatDateTime, formatInteger } from '@/lib/format';
import { useAsync } from '@/lib/use-async';
import type { Post } from '@/types/api';

const kinds: Record<string, string> = { IMAGE: 'Photo', VIDEO: 'Video', CAROUSEL_ALBUM: 'Carousel', REELS: 'Reel', STORY: 'Story' };

/** postKind names the post's format in words ("Reel", "Photo"). */
export function postKind(post: Pick<Post, 'media_type' | 'media_product_type'>): string {
  return kinds[post.media_product_type === 'REELS' ? 'REELS' : post.media_type] ?? post.media_type;
}

function caption(post: Post): string {
  return (post.caption ?? '').replace(/\s+/g, ' ').trim();
}

const back = (
  <Link to="/dashboard" className="self-start text-sm font-semibold text-fuchsia-300 underline-offset-4 hover:underline">
    ← Back to the dashboard
  </Link>
);

function PostSummary({ post }: { post: Post }) {
  const isVideo = post.media_type === 'VIDEO' || post.media_type === 'REELS';
  const text = caption(post);
  return (
    <Card className="flex flex-col gap-4 sm:flex-row">
      <PostImage
        src={isVideo ? post.thumbnail_url : post.media_url}
        mediaType={isVideo && post.thumbnail_url ? 'IMAGE' : post.media_type}
        alt={text ? text.slice(0, 100) : 'Post without a caption'}
        className="aspect-square w-full max-w-48 shrink-0 self-start rounded-xl sm:w-48"
      />
      <div className="flex min-w-0 flex-col gap-3">
        <p className="text-xs font-medium uppercase tracking-wide text-slate-300">
          {postKind(post)} · posted {formatDateTime(post.posted_at)}
        </p>
        <p className="whitespace-pre-line break-words text-sm text-slate-100" data-testid="post-caption">
          {text || 'No caption'}
        </p>
        <dl className="flex gap-6 text-sm">
          <div>
            <dt className="text-slate-300">Likes</dt>
            <dd className="text-lg font-bold tabular-nums text-white" data-testid="post-likes">
              {post.like_count === null ? 'hidden' : formatInteger(post.like_count)}
            </dd>
          </div>
          <div>
            <dt className="text-slate-300">Comments</dt>
            <dd className="text-lg font-bold tabular-nums text-white" data-testid="post-comments">
              {formatInteger(post.comments_count)}
            </dd>
          </div>
        </dl>
        {post.permalink && (
          <a href={post.permalink} target="_blank" rel="noopener noreferrer" className="text-sm font-semibold text-fuchsia-300 underline-offset-4 hover:underline">
            View on Instagram<span className="sr-only"> (opens in a new tab)</span> ↗
          </a>
        )}
      </div>
    </Card>
  );
}

/** PostPage is one post with its latest insights and its lifespan curve. */
export function PostPage({ id }: { id: string }) {
  const detail = useAsync((signal) => getPost(id, signal), [id]);

  let body;
  if (detail.status === 'error' && isApiError(detail.error) && detail.error.status === 404) {
    body = (
      <Card className="flex flex-col items-center gap-3 text-center" data-testid="post-not-found">
        <h2 className="text-xl font-bold text-white">This post was not found</h2>
        <p className="max-w-prose text-slate-300">
          It may have been deleted on Instagram, or it belongs to an account that is not connected here.
        </p>
        <Link to="/dashboard" className={buttonClasses('primary')}>
          Go to the dashboard
        </Link>
      </Card>
    );
  } else if (detail.status === 'error') {
    body = <ErrorState error={detail.error} onRetry={detail.reload} title="Could not load this post" />;
  } else if (!detail.data) {
    body = (
      <LoadingRegion label="Loading the post" className="flex flex-col gap-4">
        <Skeleton className="h-48 w-full rounded-2xl" />
        <Skeleton className="h-40 w-full rounded-2xl" />
        <Skeleton className="h-56 w-full rounded-2xl" />
      </LoadingRegion>
    );
  } else {
    body = (
      <>
        <PostSummary post={detail.data.post} />
        <PostInsightsCard post={detail.data.post} />
        <PostLifespan history={detail.data.history} />
      </>
    );
  }

  return (
    <div className="flex flex-col gap-4 sm:gap-6">
      {back}
      <h1 className="text-2xl font-bold text-white sm:text-3xl">Post insights</h1>
      {body}
    </div>
  );
}
