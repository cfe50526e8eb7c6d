/** User is the logged-in person. */
export interface User {
  id: string;
  email: string;
  created_at: string;
}

/** AuthResponse is the body of register and login. */
export interface AuthResponse {
  token: string;
  token_type: string;
  expires_in: number;
  user: User;
}

/** InstagramAccount is a linked Instagram professional account (never with a token). */
export interface InstagramAccount {
  id: string;
  ig_user_id: string;
  username: string;
  followers: number | null;
  token_expires_at: string | null;
  status: 'active' | 'needs_reauth';
  last_synced_at: string | null;
  created_at: string;
}

/** Post is one stored Instagram post. */
export interface Post {
  id: string;
  ig_post_id: string;
  caption: string | null;
  media_type: string | null;
  media_url: string | null;
  permalink: string | null;
  /** null when the owner hides like counts. */
  like_count: number | null;
  comments_count: number | null;
  posted_at: string;
  fetched_at: string;
}

/** PostsResponse is a page of posts, newest first. */
export interface PostsResponse {
  account: InstagramAccount;
  posts_count: number;
  posts: Post[];
}

/** SyncState is the state of the account's post fetch. */
export interface SyncStatus {
  state: 'idle' | 'queued' | 'running' | 'failed';
  posts_fetched: number;
  last_synced_at: string | null;
  error: string | null;
}

/** Period is one of the supported stats windows, in days. */
export type Period = 7 | 14 | 30 | 90;

/** DailyBucket is one calendar day of the window. */
export interface DailyBucket {
  date: string;
  posts: number;
  likes: number;
  comments: number;
}

/** MediaTypeStat is engagement by media type. */
export interface MediaTypeStat {
  media_type: string;
  posts: number;
  avg_likes: number;
  avg_comments: number;
}

/** PostingTime is a weekday/hour slot with its average engagement. */
export interface PostingTime {
  weekday: number;
  hour: number;
  posts: number;
  avg_engagement: number;
}

/** HashtagStat is a hashtag with its average engagement. */
export interface HashtagStat {
  tag: string;
  posts: number;
  avg_engagement: number;
}

/** GrowthStats is the body of GET /api/growth/stats. */
export interface GrowthStats {
  period_days: number;
  period_start: string;
  period_end: string;
  total_posts: number;
  total_likes: number;
  total_comments: number;
  avg_likes: number;
  avg_comments: number;
  previous: { total_posts: number; total_likes: number; total_comments: number };
  likes_trend: number | null;
  comments_trend: number | null;
  posts_this_week: number;
  posts_per_week: number;
  best_post: Post | null;
  message: string;
  followers: number | null;
  followers_trend: number | null;
  engagement_rate: number | null;
  daily: DailyBucket[];
  media_types: MediaTypeStat[];
  best_posting_times: PostingTime[];
  top_hashtags: HashtagStat[];
}

/** WaitlistEntry is one signup. */
export interface WaitlistEntry {
  id: string;
  email: string;
  created_at: string;
}

/** WaitlistPage is a page of the admin listing. */
export interface WaitlistPage {
  entries: WaitlistEntry[];
  page: number;
  limit: number;
  total: number;
  total_pages: number;
}
