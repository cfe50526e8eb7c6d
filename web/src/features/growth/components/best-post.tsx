import { Link } from 'react-router';
import { Card, CardTitle } from '@/components/card';
import { EmptyState } from '@/components/empty-state';
import { PostImage } from '@/components/post-image';
import { formatDateTime, formatInteger } from '@/lib/format';
import type { Post } from '@/types/api';

/** captionPreview shortens a caption for alt text and headings. */
export function captionPreview(caption: string | null | undefined, max = 120): string {
  const text = (caption ?? '').replace(/\s+/g, ' ').trim();
  if (!text) return 'Post without a caption';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** BestPost shows the period's post with the most likes plus comments. */
export function BestPost({ post }: { post: Post | null }) {
  return (
    <Card className="flex flex-col gap-4">
      <CardTitle>Best post of the period</CardTitle>
      {!post ? (
        <EmptyState title="No posts in this period">Your best post shows up here once you publish.</EmptyState>
      ) : (
        <div className="flex gap-4">
          <PostImage
            src={post.media_url}
            mediaType={post.media_type}
            alt={captionPreview(post.caption, 100)}
            className="aspect-square w-24 shrink-0 self-start rounded-xl sm:w-40"
          />
          <div className="flex min-w-0 flex-col gap-3">
            <p className="line-clamp-4 text-sm text-slate-100" data-testid="best-post-caption">
              {captionPreview(post.caption, 400)}
            </p>
            <dl className="flex gap-6 text-sm">
              <div>
                <dt className="text-slate-300">Likes</dt>
                <dd className="text-lg font-bold tabular-nums text-white" data-testid="best-post-likes">
                  {formatInteger(post.like_count)}
                </dd>
              </div>
              <div>
                <dt className="text-slate-300">Comments</dt>
                <dd className="text-lg font-bold tabular-nums text-white" data-testid="best-post-comments">
                  {formatInteger(post.comments_count)}
                </dd>
              </div>
            </dl>
            <p className="text-xs text-slate-300">Posted {formatDateTime(post.posted_at)}</p>
            <div className="flex flex-wrap gap-x-4 gap-y-2">
            <Link
              to={`/posts/${encodeURIComponent(post.id)}`}
              className="text-sm font-semibold text-fuchsia-300 underline-offset-4 hover:underline"
              data-testid="best-post-link"
            >
              See its insights →
            </Link>
            {post.permalink && (
              <a
                href={post.permalink}
                target="_blank"
                rel="noopener noreferrer"
                className="text-sm font-semibold text-fuchsia-300 underline-offset-4 hover:underline"
              >
                View on Instagram<span className="sr-only"> (opens in a new tab)</span> ↗
              </a>
            )}
            </div>
          </div>
        </div>
      )}
    </Card>
  );
}
