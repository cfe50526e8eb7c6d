// The Instagram account the dashboard acts on, chosen in the account switcher. The API
// client adds it as `account_id` to every account-scoped call, so each page and action
// (stats, posts, sync, refresh, disconnect, exports, share links) follows the choice.
// Unset means the server's default: the most recently connected account.
const KEY = 'cgt.account_id';
const listeners = new Set<() => void>();

/** getSelectedAccount returns the chosen account id, or null for the default one. */
export function getSelectedAccount(): string | null {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/** setSelectedAccount chooses an account (null: the default) and notifies subscribers. */
export function setSelectedAccount(id: string | null): void {
  try {
    if (id) window.localStorage.setItem(KEY, id);
    else window.localStorage.removeItem(KEY);
  } catch {
    // Storage unavailable: the choice lasts as long as nothing reads it back.
  }
  for (const listener of listeners) listener();
}

/** subscribeSelectedAccount calls listener on every change of the choice. */
export function subscribeSelectedAccount(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// The paths that act on one account and take `?account_id=`.
const scoped = /^\/api\/(instagram\/(posts|sync|refresh|disconnect)|growth\/[a-z]+|share-links)$/;

/** accountScoped reports whether a call to path acts on the chosen account. */
export function accountScoped(path: string): boolean {
  return scoped.test(path);
}
