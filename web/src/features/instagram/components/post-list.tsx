import { useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '@/components/alert';
import { Button } from '@/components/button';
import { Card, CardTitle } from '@/components/card';
import { EmptyState } from '@/components/empty-state';
import { PostImage } from '@/components/post-image';
import { getPosts } from '@/features/instagram/api/instagram';
import { describeError } from '@/lib/api-error';
import { formatDateTime, formatInteger } from '@/lib/format';
import type { Post, PostsResponse } from '@/types/api';

/** PAGE_SIZE is how many posts one "Load more" fetches. */
export const PAGE_SIZE = 20;

function caption(post: Post): string {
  const text = (post.caption ?? '').replace(/\s+/g, ' ').trim();
  return text || 'No caption';
}

/** PostList shows stored posts newest first and pages back with "Load more". */
export function PostList({ initial }: { initial: PostsResponse }) {
  const [posts, setPosts] = useState<Post[]>(initial.posts);
  const [cursor, setCursor] = useState<string | null>(initial.next_cursor);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function loadMore() {
    if (!cursor) return;
    setBusy(true);
    setError(null);
    try {
      // The cursor names the last post shown, so posts sharing its time are not skipped.
      const page = await getPosts({ limit: PAGE_SIZE, cursor });
      const seen = new Set(posts.map((p) => p.id));
      setPosts([...posts, ...page.posts.filter((p) => !seen.has(p.id))]);
      setCursor(page.next_cursor);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card className="flex flex-col gap-4">
      <div className="flex items-baseline justify-between gap-2">
        <CardTitle>Your posts</CardTitle>
        <span className="text-sm text-slate-300" data-testid="posts-count">
          {formatInteger(initial.posts_count)} stored
        </span>
      </div>
      {posts.length === 0 ? (
        <EmptyState title="No posts yet">Once your posts are fetched from Instagram they are listed here, newest first.</EmptyState>
      ) : (
        <ul className="flex flex-col divide-y divide-white/10" aria-label="Posts, newest first">
          {posts.map((post) => (
            <li key={post.id} className="flex gap-3 py-3" data-testid="post-item">
              <PostImage src={post.media_url} mediaType={post.media_type} alt="" className="size-16 shrink-0 rounded-lg" />
              <div className="flex min-w-0 flex-1 flex-col gap-1">
                <Link
                  to={`/posts/${encodeURIComponent(post.id)}`}
                  className="line-clamp-2 text-sm text-white underline-offset-4 hover:underline"
                  data-testid="post-link"
                >
                  {caption(post)}
                </Link>
                <p className="flex flex-wrap gap-x-3 text-xs text-slate-300">
                  <span>{formatDateTime(post.posted_at)}</span>
                  <span>{post.like_count === null ? 'likes hidden' : `${formatInteger(post.like_count)} likes`}</span>
                  <span>{formatInteger(post.comments_count)} comments</span>
                  {post.insights?.views != null && <span>{formatInteger(post.insights.views)} views</span>}
                  {post.permalink && (
                    <a href={post.permalink} target="_blank" rel="noopener noreferrer" className="font-semibold text-fuchsia-300 hover:underline">
                      Open<span className="sr-only"> this post on Instagram (new tab)</span>
                    </a>
                  )}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
      {error && <Alert tone="error">{error}</Alert>}
      {cursor && (
        <Button variant="secondary" onClick={loadMore} loading={busy} className="self-center">
          Load more
        </Button>
      )}
    </Card>
  );
}
