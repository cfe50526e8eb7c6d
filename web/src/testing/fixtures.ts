import type {
  Audience,
  GrowthStats,
  InsightsReading,
  InstagramAccount,
  Post,
  PostDetail,
  PostInsights,
  PostsResponse,
  SyncStatus,
  User,
} from '@/types/api';

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

/** insights is a full insights reading of a feed post (no Reels metrics). */
export function insights(overrides: Partial<PostInsights> = {}): PostInsights {
  return {
    views: 1200,
    reach: 950,
    saved: 14,
    shares: 9,
    total_interactions: 301,
    follows: 3,
    profile_visits: 21,
    reposts: 1,
    avg_watch_time_ms: null,
    total_watch_time_ms: null,
    skip_rate: null,
    captured_at: '2026-11-25T09:00:00Z',
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
    insights: insights(),
    permalink: `https://www.instagram.com/p/${n}/`,
    like_count: 100 + n,
    comments_count: 10 + n,
    posted_at: new Date(Date.UTC(2026, 10, 25) - n * 3_600_000).toISOString(),
    fetched_at: '2026-11-25T10:00:00Z',
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
    previous: { total_posts: 9, total_likes: 2800, total_comments: 190, total_views: 36600, total_reach: 28100, total_saves: 227, total_shares: 100 },
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
      { date: '2026-11-24', posts: 1, likes: 250, comments: 12, views: 1200, reach: 950 },
      { date: '2026-11-25', posts: 0, likes: 0, comments: 0, views: null, reach: null },
    ],
    media_types: [{ media_type: 'IMAGE', posts: 8, avg_likes: 270, avg_comments: 15.2 }],
    best_posting_times: [{ weekday: 2, hour: 18, posts: 3, avg_engagement: 410 }],
    top_hashtags: [{ tag: '#travel', posts: 4, avg_engagement: 380.5 }],
    total_views: 41000,
    total_reach: 30500,
    total_saves: 220,
    total_shares: 140,
    views_trend: 12,
    reach_trend: 8.4,
    saves_trend: -3.1,
    shares_trend: 40,
    insights_coverage: 0.92,
    engagement_rate_by_reach: 9.8,
    freshness: { posts_synced_at: '2026-11-25T11:55:00Z', insights_synced_at: '2026-11-25T11:00:00Z', next_sync_at: '2026-11-25T12:25:00Z' },
    ...overrides,
  };
}

/** sync is a sync state answer. */
export function sync(state: SyncStatus['state'], posts_fetched = 0, error: string | null = null): SyncStatus {
  return { state, posts_fetched, last_synced_at: '2026-11-25T10:00:00Z', error };
}

/** reading is one entry of a post's insights history. */
export function reading(capturedAt: string, views: number | null, reach: number | null, overrides: Partial<InsightsReading> = {}): InsightsReading {
  return { captured_at: capturedAt, like_count: 100, comments_count: 10, views, reach, saved: 5, shares: 2, total_interactions: 117, ...overrides };
}

/** postDetail is a post with a three-reading lifespan. */
export function postDetail(overrides: Partial<PostDetail> = {}): PostDetail {
  return {
    post: post(1, { caption: 'Sunset over the bay #travel', like_count: 450, comments_count: 31 }),
    history: [
      reading('2026-11-24T10:00:00Z', 300, 250),
      reading('2026-11-24T16:00:00Z', 800, 640),
      reading('2026-11-25T09:00:00Z', 1200, 950),
    ],
    ...overrides,
  };
}

/** heatmap is a 7 × 24 grid; `at(weekday, hour)` gives each cell. */
export function heatmap(at: (weekday: number, hour: number) => number | null): Array<Array<number | null>> {
  return Array.from({ length: 7 }, (_, d) => Array.from({ length: 24 }, (_, h) => at(d, h)));
}

/** breakdowns are demographic rows of one audience. */
function breakdowns(scale: number) {
  return {
    age: [
      { key: '25-34', value: Math.round(420 * scale) },
      { key: '18-24', value: Math.round(310 * scale) },
      { key: '35-44', value: Math.round(120 * scale) },
    ],
    gender: [
      { key: 'F', value: Math.round(560 * scale) },
      { key: 'M', value: Math.round(290 * scale) },
    ],
    country: [
      { key: 'DE', value: Math.round(400 * scale) },
      { key: 'US', value: Math.round(250 * scale) },
      { key: 'GR', value: Math.round(200 * scale) },
    ],
    city: [
      { key: 'Berlin, Berlin', value: Math.round(180 * scale) },
      { key: 'Athens, Attica', value: Math.round(120 * scale) },
    ],
  };
}

/** audience is a full audience answer for 30 days with every part available. */
export function audience(overrides: Partial<Audience> = {}): Audience {
  return {
    period_days: 30,
    followers: 1234,
    followers_gained: 310,
    followers_lost: 42,
    net_followers: 268,
    daily: [
      { date: '2026-11-22', followers: 1201, gained: 12, lost: 1, reach: 5400, views: 8800 },
      { date: '2026-11-23', followers: 1215, gained: 15, lost: 1, reach: 6000, views: 9100 },
      { date: '2026-11-24', followers: 1234, gained: 20, lost: 1, reach: 6600, views: null },
    ],
    online_followers: { status: 'ok', heatmap: heatmap((d, h) => (d === 2 && h === 18 ? 410 : 100 + h)) },
    demographics: { status: 'ok', timeframe: 'this_month', followers: breakdowns(1), engaged: breakdowns(0.1) },
    freshness: { posts_synced_at: '2026-11-25T11:55:00Z', insights_synced_at: '2026-11-25T08:00:00Z', next_sync_at: null },
    ...overrides,
  };
}
