import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { getSyncStatus, refreshPosts } from '@/features/instagram/api/instagram';
import { useLiveEvents, type SyncEvent } from '@/features/instagram/hooks/use-live-events';
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
 * useSync follows the post fetch: it starts a refresh on `refresh`, and when `watch` is true
 * it also checks once and follows a fetch already in progress (the first one after
 * connecting). Changes come from the live stream (GET /api/events) while it is open; while
 * it is not (refused, broken, or no EventSource) the sync state is polled every
 * `intervalMs` until it is idle or failed. `onFinished` runs when a fetch ends (to reload
 * stats and posts); `onStats` runs when the stream says the account's data changed.
 */
export function useSync({
  onFinished,
  onStats,
  watch,
  accountId,
  intervalMs = 1000,
}: {
  onFinished: () => void;
  onStats?: () => void;
  watch: boolean;
  /** accountId is the account shown: events of the user's other accounts are ignored. */
  accountId?: string;
  intervalMs?: number;
}) {
  const [view, setView] = useState<SyncView>({ phase: 'idle' });
  const [run, setRun] = useState(0);
  const finished = useRef(onFinished);
  const statsChanged = useRef(onStats);
  useEffect(() => {
    finished.current = onFinished;
    statsChanged.current = onStats;
  }, [onFinished, onStats]);
  const baseline = useRef<{ seenActive: boolean; lastSynced: string | null }>({ seenActive: false, lastSynced: null });
  const following = useRef(false);
  // Which refresh the stream saw end: a fast fetch can finish before the refresh's own
  // answer arrives, and that late answer must not turn the finished view back to running.
  const refreshes = useRef(0);
  const endedRefresh = useRef(0);
  useEffect(() => {
    following.current = view.phase === 'starting' || view.phase === 'running';
  }, [view]);

  const handlers = useMemo(() => {
    const mine = (id: string) => !accountId || id === accountId;
    return {
      onSync: (event: SyncEvent) => {
        if (!mine(event.account_id)) return;
        const status: SyncStatus = {
          state: event.state,
          posts_fetched: event.posts_fetched,
          last_synced_at: baseline.current.lastSynced,
          error: null,
        };
        if (active(status)) {
          baseline.current.seenActive = true;
          setView({ phase: 'running', status });
        } else if (!following.current) {
          // A fetch this page did not follow (a scheduled one) ended: its stats event reloads.
        } else if (status.state === 'failed') {
          endedRefresh.current = refreshes.current;
          getSyncStatus().then(
            (s) => setView({ phase: 'failed', message: s.error || 'The sync did not finish.' }),
            () => setView({ phase: 'failed', message: 'The sync did not finish.' }),
          );
          finished.current();
        } else {
          endedRefresh.current = refreshes.current;
          setView({ phase: 'done', status });
          finished.current();
        }
      },
      onStats: (event: { account_id: string }) => {
        if (mine(event.account_id)) statsChanged.current?.();
      },
      onReconnect: () => {
        statsChanged.current?.();
        if (following.current) setRun((n) => n + 1);
      },
    };
  }, [accountId]);
  const live = useLiveEvents(watch, handlers);

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
    // The stream reports the fetch while it is open; polling is the fallback.
    if (run === 0 || live || !following.current) return;
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
  }, [run, intervalMs, live]);

  const refresh = useCallback(async () => {
    const mine = ++refreshes.current;
    setView({ phase: 'starting' });
    try {
      const { account } = await refreshPosts();
      if (endedRefresh.current === mine) return; // the stream saw it finish already
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
