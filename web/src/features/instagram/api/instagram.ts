import { api } from '@/lib/api-client';
import type {
  AccountsResponse,
  ConnectUrl,
  FetchScheduled,
  MessageBody,
  PostDetail,
  PostsResponse,
  SyncStatus,
} from '@/types/api';

/** getConnectUrl returns the address that starts the connection: a page of the API server that binds the flow to this browser and redirects to Instagram. */
export async function getConnectUrl(): Promise<string> {
  const { url } = await api<ConnectUrl>('/api/instagram/connect');
  return url;
}

/** getPosts reads a page of posts, newest first: after `cursor` (a next_cursor) when given. */
export function getPosts(params: { limit?: number; cursor?: string }, signal?: AbortSignal): Promise<PostsResponse> {
  return api<PostsResponse>('/api/instagram/posts', {
    query: { limit: params.limit ?? 20, cursor: params.cursor },
    signal,
  });
}

/** getAccounts lists the user's Instagram accounts, most recently connected first. */
export function getAccounts(signal?: AbortSignal): Promise<AccountsResponse> {
  return api<AccountsResponse>('/api/instagram/accounts', { signal });
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
