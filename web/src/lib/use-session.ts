import { useEffect, useSyncExternalStore } from 'react';
import { api } from '@/lib/api-client';
import { getSession, setSignedIn, setSignedOut, subscribeSession, type SessionState } from '@/lib/auth-token';
import type { User } from '@/types/api';

let pending: Promise<void> | null = null;

/**
 * loadSession asks GET /api/user/me whether the browser's session cookie names a live
 * session. Concurrent callers share one request. Any failure counts as signed out: the
 * login page then says what is wrong when the user tries.
 */
export function loadSession(): Promise<void> {
  pending ??= api<User>('/api/user/me', { auth: false })
    .then((user) => setSignedIn(user, false))
    .catch(() => setSignedOut('expired', false))
    .finally(() => {
      pending = null;
    });
  return pending;
}

/** useSession returns the session state and re-renders when it changes; it asks the server when unknown. */
export function useSession(): SessionState {
  const session = useSyncExternalStore(subscribeSession, getSession, getSession);
  useEffect(() => {
    if (session.status === 'unknown') void loadSession();
  }, [session.status]);
  return session;
}
