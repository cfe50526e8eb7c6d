import { useEffect, useRef, useState } from 'react';
import { buildUrl } from '@/lib/api-client';
import type { SyncStatus } from '@/types/api';

/** SyncEvent is the data of a `sync` event of GET /api/events. */
export interface SyncEvent {
  account_id: string;
  state: SyncStatus['state'];
  posts_fetched: number;
}

/** StatsEvent is the data of a `stats` event: the account's data changed. */
export interface StatsEvent {
  account_id: string;
}

/** MAX_STREAM_ERRORS is how many errors in a row end the stream for good (polling takes over). */
export const MAX_STREAM_ERRORS = 3;

interface Handlers {
  onSync: (event: SyncEvent) => void;
  onStats: (event: StatsEvent) => void;
  /** onReconnect runs when the stream opens again after an error: events may have been missed. */
  onReconnect: () => void;
}

function parse<T>(event: Event): T | null {
  try {
    return JSON.parse((event as MessageEvent<string>).data) as T;
  } catch {
    return null;
  }
}

/**
 * useLiveEvents follows GET /api/events (the session cookie goes along) while `enabled`. It
 * returns whether the stream is open: false while it connects, after the server refused it
 * (401, 429: EventSource closes) and for good after MAX_STREAM_ERRORS errors in a row, so
 * that the caller polls instead. Without EventSource (old browsers, tests) it is never live.
 */
export function useLiveEvents(enabled: boolean, handlers: Handlers): boolean {
  const [live, setLive] = useState(false);
  const current = useRef(handlers);
  useEffect(() => {
    current.current = handlers;
  }, [handlers]);

  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const source = new EventSource(buildUrl('/api/events'), { withCredentials: true });
    let errors = 0;
    let opened = false;
    const onOpen = () => {
      if (opened && errors > 0) current.current.onReconnect();
      opened = true;
      errors = 0;
      setLive(true);
    };
    const onError = () => {
      errors += 1;
      setLive(false);
      if (source.readyState === EventSource.CLOSED || errors >= MAX_STREAM_ERRORS) source.close();
    };
    const onSync = (event: Event) => {
      const data = parse<SyncEvent>(event);
      if (data) current.current.onSync(data);
    };
    const onStats = (event: Event) => {
      const data = parse<StatsEvent>(event);
      if (data) current.current.onStats(data);
    };
    source.addEventListener('open', onOpen);
    source.addEventListener('error', onError);
    source.addEventListener('sync', onSync);
    source.addEventListener('stats', onStats);
    return () => {
      source.close();
      setLive(false);
    };
  }, [enabled]);

  return live;
}
