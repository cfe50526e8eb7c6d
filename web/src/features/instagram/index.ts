// The public entry of the instagram feature: what other parts of the app may import.
export { getAccounts, getPost, getPosts } from '@/features/instagram/api/instagram';
export { AccountSwitcher } from '@/features/instagram/components/account-switcher';
export { AccountCard } from '@/features/instagram/components/account-card';
export { ConnectInstagram } from '@/features/instagram/components/connect-instagram';
export { DisconnectButton } from '@/features/instagram/components/disconnect-button';
export { PostPage } from '@/features/instagram/components/post-page';
export { PAGE_SIZE, PostList } from '@/features/instagram/components/post-list';
export { SyncStatusLine } from '@/features/instagram/components/sync-status';
export { useSync } from '@/features/instagram/hooks/use-sync';
export { MAX_STREAM_ERRORS } from '@/features/instagram/hooks/use-live-events';
export { readCallbackResult, UNKNOWN_REASON_TEXT, type CallbackResult } from '@/features/instagram/lib/callback-result';
