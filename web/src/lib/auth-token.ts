const TOKEN_KEY = 'cgt.token';
const listeners = new Set<() => void>();
let lastClear: ClearReason | null = null;

/** ClearReason tells a deliberate log-out from a session that ended on its own. */
export type ClearReason = 'logout' | 'expired';

function notify(): void {
  for (const listener of listeners) listener();
}

/** getToken returns the stored JWT, or null when absent or expired. */
export function getToken(): string | null {
  let token: string | null;
  try {
    token = window.localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
  if (!token) return null;
  if (isExpired(token)) {
    clearToken();
    return null;
  }
  return token;
}

/** setToken stores the JWT and notifies subscribers. */
export function setToken(token: string): void {
  lastClear = null;
  window.localStorage.setItem(TOKEN_KEY, token);
  notify();
}

/** clearToken forgets the JWT (log out or a 401) and notifies subscribers. */
export function clearToken(reason: ClearReason = 'expired'): void {
  lastClear = reason;
  try {
    const had = window.localStorage.getItem(TOKEN_KEY) !== null;
    window.localStorage.removeItem(TOKEN_KEY);
    if (had) notify();
  } catch {
    // Storage unavailable: nothing to clear.
  }
}

/** lastClearReason says why the token was last cleared in this tab, if it was. */
export function lastClearReason(): ClearReason | null {
  return lastClear;
}

/** subscribeToken registers a listener for token changes, also from other tabs. */
export function subscribeToken(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === TOKEN_KEY || event.key === null) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** tokenExpiry reads the `exp` claim (seconds) of a JWT without verifying it. */
export function tokenExpiry(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp : null;
  } catch {
    return null;
  }
}

/** isExpired tells whether the JWT's `exp` is in the past; tokens without one are left to the server. */
export function isExpired(token: string, now = Date.now()): boolean {
  const exp = tokenExpiry(token);
  return exp !== null && exp * 1000 <= now;
}
