import { api } from '@/lib/api-client';
import type { ConnectUrl, FetchScheduled, MessageBody, Post, PostsResponse, SyncStatus } from '@/types/api';

// The post insights of the HTTP contract (api-contract.md, "The insights object of a post"
// and GET /api/instagram/posts/{id}), until their schemas are in api/openapi.yaml.

/** PostInsights is the latest insights reading of a post; a metric is null when unknown. */
export interface PostInsights {
  views: number | null;
  reach: number | null;
  saved: number | null;
  shares: number | null;
  total_interactions: number | null;
  follows: number | null;
  profile_visits: number | null;
  reposts: number | null;
  avg_watch_time_ms: number | null;
  total_watch_time_ms: number | null;
  skip_rate: number | null;
  captured_at: string;
}

/** InsightPost is a stored post with its latest insights (null before the first reading). */
export type InsightPost = Post & {
  media_product_type: string;
  thumbnail_url: string | null;
  insights: PostInsights | null;
};

/** InsightsReading is one entry of a post's lifespan history. */
export interface InsightsReading {
  captured_at: string;
  like_count: number | null;
  comments_count: number | null;
  views: number | null;
  reach: number | null;
  saved: number | null;
  shares: number | null;
  total_interactions: number | null;
}

/** PostDetail is the body of GET /api/instagram/posts/{id}: the post and its readings, oldest first. */
export interface PostDetail {
  post: InsightPost;
  history: InsightsReading[];
}

/** InsightPostsPage is a page of posts with their insights. */
export type InsightPostsPage = Omit<PostsResponse, 'posts'> & { posts: InsightPost[] };

/** getConnectUrl returns the address that starts the connection: a page of the API server that binds the flow to this browser and redirects to Instagram. */
export async function getConnectUrl(): Promise<string> {
  const { url } = await api<ConnectUrl>('/api/instagram/connect');
  return url;
}

/** getPosts reads a page of posts, newest first, older than `before` when given. */
export function getPosts(params: { limit?: number; before?: string }, signal?: AbortSignal): Promise<InsightPostsPage> {
  return api<InsightPostsPage>('/api/instagram/posts', {
    query: { limit: params.limit ?? 20, before: params.before },
    signal,
  });
}

/** refreshPosts schedules a post fetch (202). */
export function refreshPosts(): Promise<FetchScheduled> {
  return api('/api/instagram/refresh', { method: 'POST' });
}

/** getSyncStatus reads the state of the post fetch. */
export function getSyncStatus(signal?: AbortSignal): Promise<SyncStatus> {
  return api<SyncStatus>('/api/instagram/sync', { signal });
}

/** disconnectInstagram deletes the account and its posts. */
export function disconnectInstagram(): Promise<MessageBody> {
  return api('/api/instagram/disconnect', { method: 'DELETE' });
}

/** getPost reads one post with its insights history; an unknown post is a 404 ApiError. */
export function getPost(id: string, signal?: AbortSignal): Promise<PostDetail> {
  return api<PostDetail>(`/api/instagram/posts/${encodeURIComponent(id)}`, { signal });
}
