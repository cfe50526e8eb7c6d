import { useCallback, useEffect, useRef, useState } from 'react';
import { getSyncStatus, refreshPosts } from '@/features/instagram/api/instagram';
import { describeError } from '@/lib/api-error';
import type { SyncStatus } from '@/types/api';

/** SyncView is what the dashboard shows about the post fetch. */
export type SyncView =
  | { phase: 'idle' }
  | { phase: 'starting' }
  | { phase: 'running'; status: SyncStatus }
  | { phase: 'done'; status: SyncStatus }
  | { phase: 'failed'; message: string };

const active = (s: SyncStatus) => s.state === 'queued' || s.state === 'running';

/**
 * useSync starts a refresh and polls the sync state every `intervalMs` until it is idle or
 * failed, then calls `onFinished` (to reload stats and posts). When `watch` is true it also
 * checks once and follows a fetch already in progress (the first one after connecting).
 */
export function useSync({ onFinished, watch, intervalMs = 1000 }: { onFinished: () => void; watch: boolean; intervalMs?: number }) {
  const [view, setView] = useState<SyncView>({ phase: 'idle' });
  const [run, setRun] = useState(0);
  const finished = useRef(onFinished);
  useEffect(() => {
    finished.current = onFinished;
  }, [onFinished]);
  const baseline = useRef<{ seenActive: boolean; lastSynced: string | null }>({ seenActive: false, lastSynced: null });

  useEffect(() => {
    if (!watch) return;
    const controller = new AbortController();
    getSyncStatus(controller.signal).then(
      (status) => {
        if (active(status)) {
          baseline.current = { seenActive: true, lastSynced: status.last_synced_at };
          setView({ phase: 'running', status });
          setRun((n) => n + 1);
        } else if (status.state === 'failed') {
          setView({ phase: 'failed', message: status.error || 'The last sync did not finish.' });
        }
      },
      () => undefined,
    );
    return () => controller.abort();
  }, [watch]);

  useEffect(() => {
    if (run === 0) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let polls = 0;

    const tick = async () => {
      polls += 1;
      try {
        const status = await getSyncStatus();
        if (cancelled) return;
        if (active(status)) {
          baseline.current.seenActive = true;
          setView({ phase: 'running', status });
        } else if (status.state === 'failed') {
          setView({ phase: 'failed', message: status.error || 'The sync did not finish.' });
          finished.current();
          return;
        } else if (baseline.current.seenActive || status.last_synced_at !== baseline.current.lastSynced || polls >= 3) {
          // Idle: finished, unless the job has not been picked up yet (checked a few times).
          setView({ phase: 'done', status });
          finished.current();
          return;
        }
      } catch (error) {
        if (cancelled) return;
        setView({ phase: 'failed', message: describeError(error) });
        return;
      }
      timer = setTimeout(tick, intervalMs);
    };

    timer = setTimeout(tick, intervalMs);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [run, intervalMs]);

  const refresh = useCallback(async () => {
    setView({ phase: 'starting' });
    try {
      const { account } = await refreshPosts();
      baseline.current = { seenActive: false, lastSynced: account?.last_synced_at ?? null };
      setView({ phase: 'running', status: { state: 'queued', posts_fetched: 0, last_synced_at: account?.last_synced_at ?? null, error: null } });
      setRun((n) => n + 1);
    } catch (error) {
      setView({ phase: 'failed', message: describeError(error) });
    }
  }, []);

  const busy = view.phase === 'starting' || view.phase === 'running';
  return { view, refresh, busy };
}
