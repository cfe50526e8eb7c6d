import { Alert } from '@/components/alert';
import { Spinner } from '@/components/spinner';
import type { SyncView } from '@/features/instagram/hooks/use-sync';
import { formatInteger } from '@/lib/format';

const posts = (n: number) => `${formatInteger(n)} ${n === 1 ? 'post' : 'posts'}`;

/** SyncStatusLine reports the post fetch in words, politely announced. */
export function SyncStatusLine({ view }: { view: SyncView }) {
  if (view.phase === 'idle') return null;
  if (view.phase === 'failed') {
    return (
      <Alert tone="error" title="Sync failed">
        {view.message}
      </Alert>
    );
  }
  if (view.phase === 'done') {
    return (
      <Alert tone="success">
        <span data-testid="sync-state">Sync finished: {posts(view.status.posts_fetched)} fetched. Your stats are up to date.</span>
      </Alert>
    );
  }
  const text =
    view.phase === 'starting'
      ? 'Starting a sync…'
      : view.status.state === 'queued'
        ? 'Sync queued: waiting for its turn…'
        : `Syncing your posts… ${posts(view.status.posts_fetched)} fetched so far.`;
  return (
    <div role="status" className="flex items-center gap-2 rounded-xl border border-sky-300/30 bg-sky-500/10 px-4 py-3 text-sm text-sky-50">
      <Spinner />
      <span data-testid="sync-state">{text}</span>
    </div>
  );
}
