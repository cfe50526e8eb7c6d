import type { User } from '@/types/api';

/**
 * The session lives in the server's HttpOnly `session` cookie, which scripts cannot read:
 * this module keeps no token, only what the app knows about the session. It is `unknown`
 * until GET /api/user/me has answered (see use-session), then signed in or out.
 */

/** ClearReason tells a deliberate log-out from a session that ended on its own. */
export type ClearReason = 'logout' | 'expired';

/** SessionState is what the app knows about the session. */
export type SessionState =
  | { status: 'unknown' }
  | { status: 'signed-in'; user: User }
  | { status: 'signed-out' };

const UNKNOWN: SessionState = { status: 'unknown' };
const SIGNED_OUT: SessionState = { status: 'signed-out' };
const CHANNEL = 'cgt.session';

let state: SessionState = UNKNOWN;
let lastClear: ClearReason | null = null;
const listeners = new Set<() => void>();
let channel: BroadcastChannel | null = null;

function notify(): void {
  for (const listener of listeners) listener();
}

/**
 * openChannel returns this tab's one channel to the other tabs: a BroadcastChannel does not
 * receive its own messages, so a tab never hears what it said itself.
 */
function openChannel(): BroadcastChannel | null {
  if (channel || typeof BroadcastChannel === 'undefined') return channel;
  try {
    channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (event: MessageEvent) => {
      // Another tab logged in or out: follow it, asking the server after a login.
      if (event.data === 'signed-out') setSignedOut('logout', false);
      else resetSession();
    };
  } catch {
    channel = null;
  }
  return channel;
}

function broadcast(message: 'signed-in' | 'signed-out'): void {
  // Without a channel, other tabs learn at their next request.
  openChannel()?.postMessage(message);
}

/** getSession returns the current session state (a stable object between changes). */
export function getSession(): SessionState {
  return state;
}

/** setSignedIn records the signed-in user (after login, register or GET /api/user/me). */
export function setSignedIn(user: User, tell = true): void {
  lastClear = null;
  state = { status: 'signed-in', user };
  notify();
  if (tell) broadcast('signed-in');
}

/** setSignedOut records that there is no session: a log-out, or a 401 from the server. */
export function setSignedOut(reason: ClearReason = 'expired', tell = true): void {
  lastClear = reason;
  const was = state.status;
  state = SIGNED_OUT;
  if (was !== 'signed-out') notify();
  if (tell && was === 'signed-in') broadcast('signed-out');
}

/** resetSession forgets what is known, so that the next reader asks the server again. */
export function resetSession(): void {
  state = UNKNOWN;
  lastClear = null;
  notify();
}

/** lastClearReason says why the session was last cleared in this tab, if it was. */
export function lastClearReason(): ClearReason | null {
  return lastClear;
}

/** subscribeSession registers a listener for session changes, also from other tabs. */
export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  openChannel();
  return () => {
    listeners.delete(listener);
  };
}
