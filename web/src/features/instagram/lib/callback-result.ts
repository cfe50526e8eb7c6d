/** CallbackResult is what the OAuth callback told us through the query string. */
export interface CallbackResult {
  tone: 'success' | 'error';
  text: string;
}

// A Map, not an object literal: a reason such as `constructor` or `__proto__` must not
// find something inherited from Object.prototype.
const reasons = new Map<string, string>([
  ['denied', 'Instagram access was denied, so nothing was connected. Connect again whenever you are ready.'],
  ['invalid_state', 'The connection link expired or was already used. Please start the connection again.'],
  ['exchange_failed', 'Instagram did not confirm the connection. Please try again in a moment.'],
  ['already_linked', 'That Instagram account is already linked to another user of Creator Growth Tool.'],
  ['internal', 'Something went wrong on our side while connecting Instagram. Please try again.'],
]);

/** UNKNOWN_REASON_TEXT is shown for a missing, empty or unrecognised `reason`. */
export const UNKNOWN_REASON_TEXT = 'Instagram could not be connected. Please try again.';

/**
 * readCallbackResult turns `?instagram=connected|error&reason=…` into a message, or null.
 * The reason is only ever a lookup key: whatever the URL carries, the text is one of ours.
 */
export function readCallbackResult(params: URLSearchParams): CallbackResult | null {
  const outcome = params.get('instagram');
  if (outcome === 'connected') {
    return { tone: 'success', text: 'Your account is linked. We are fetching your posts now; your stats fill in as they arrive.' };
  }
  if (outcome === 'error') {
    return { tone: 'error', text: reasons.get(params.get('reason') ?? '') ?? UNKNOWN_REASON_TEXT };
  }
  return null;
}
