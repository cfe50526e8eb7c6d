import { useSyncExternalStore } from 'react';
import { getToken, subscribeToken } from '@/lib/auth-token';

/** useSession returns the current JWT (null when logged out) and re-renders when it changes. */
export function useSession(): string | null {
  return useSyncExternalStore(subscribeToken, getToken, () => null);
}
