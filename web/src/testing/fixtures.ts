import type { GrowthStats, InstagramAccount, Post, PostsResponse, SyncStatus, User } from '@/types/api';

/** user is a signed-in user as GET /api/user/me returns it. */
export function user(overrides: Partial<User> = {}): User {
  return {
    id: 'u1',
    email: 'me@example.com',
    created_at: '2026-11-25T00:00:00Z',
    email_verified: true,
    timezone: 'UTC',
    weekly_digest: true,
    ...overrides,
  };
}

/** account is a linked Instagram account. */
export function account(overrides: Partial<InstagramAccount> = {}): InstagramAccount {
  return {
    id: 'acc-1',
    ig_user_id: '17890001',
    username: 'sunny.creator',
    followers: 1234,
    token_expires_at: '2027-01-01T00:00:00Z',
    status: 'active',
    last_synced_at: '2026-11-25T10:00:00Z',
    created_at: '2026-10-01T00:00:00Z',
    ...overrides,
  };
}

/** post is one stored post. */
export function post(n: number, overrides: Partial<Post> = {}): Post {
  return {
    id: `post-${n}`,
    ig_post_id: `ig-${n}`,
    caption: `Post number ${n} #travel`,
    media_type: 'IMAGE',
    media_product_type: 'FEED',
    media_url: `https://cdn.example.com/${n}.jpg`,
    thumbnail_url: null,
    permalink: `https://www.instagram.com/p/${n}/`,
    like_count: 100 + n,
    comments_count: 10 + n,
    posted_at: new Date(Date.UTC(2026, 10, 25) - n * 3_600_000).toISOString(),
    fetched_at: '2026-11-25T10:00:00Z',
    insights: null,
    ...overrides,
  };
}

/** postsPage is a page of posts numbered from `from`; its next_cursor names the page after it, if any. */
export function postsPage(count: number, total: number, from = 1): PostsResponse {
  const next = from - 1 + count < total ? `cursor-${from + count}` : null;
  return { account: account(), posts_count: total, next_cursor: next, posts: Array.from({ length: count }, (_, i) => post(from + i)) };
}

/** stats is a full stats answer for 7 days. */
export function stats(overrides: Partial<GrowthStats> = {}): GrowthStats {
  return {
    period_days: 7,
    period_start: '2026-11-18T12:00:00Z',
    period_end: '2026-11-25T12:00:00Z',
    total_posts: 12,
    total_likes: 3400,
    total_comments: 210,
    avg_likes: 283.33,
    avg_comments: 17.5,
    previous: {
      total_posts: 9, total_likes: 2800, total_comments: 190,
      total_views: null, total_reach: null, total_saves: null, total_shares: null,
    },
    likes_trend: 21.4,
    comments_trend: -10.5,
    posts_this_week: 3,
    posts_per_week: 2.8,
    best_post: post(1, { caption: 'Sunset over the bay #travel', like_count: 450, comments_count: 31 }),
    message: "🔥 You're on fire! Engagement is way up.",
    followers: 1234,
    followers_trend: null,
    engagement_rate: 24.4,
    daily: [
      { date: '2026-11-24', posts: 1, likes: 250, comments: 12, views: null, reach: null },
      { date: '2026-11-25', posts: 0, likes: 0, comments: 0, views: null, reach: null },
    ],
    media_types: [{ media_type: 'IMAGE', posts: 8, avg_likes: 270, avg_comments: 15.2 }],
    best_posting_times: [{ weekday: 2, hour: 18, posts: 3, avg_engagement: 410 }],
    top_hashtags: [{ tag: '#travel', posts: 4, avg_engagement: 380.5 }],
    total_views: null,
    total_reach: null,
    total_saves: null,
    total_shares: null,
    views_trend: null,
    reach_trend: null,
    saves_trend: null,
    shares_trend: null,
    insights_coverage: 0,
    engagement_rate_by_reach: null,
    freshness: { posts_synced_at: '2026-11-25T10:00:00Z', insights_synced_at: null, next_sync_at: '2026-11-25T16:00:00Z' },
    ...overrides,
  };
}

/** sync is a sync state answer. */
export function sync(state: SyncStatus['state'], posts_fetched = 0, error: string | null = null): SyncStatus {
  return { state, posts_fetched, last_synced_at: '2026-11-25T10:00:00Z', error };
}
