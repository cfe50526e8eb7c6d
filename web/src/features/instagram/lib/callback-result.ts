/** CallbackResult is what the OAuth callback told us through the query string. */
export interface CallbackResult {
  tone: 'success' | 'error';
  text: string;
}

const reasons: Record<string, string> = {
  denied: 'Instagram access was denied, so nothing was connected. Connect again whenever you are ready.',
  invalid_state: 'The connection link expired or was already used. Please start the connection again.',
  exchange_failed: 'Instagram did not confirm the connection. Please try again in a moment.',
  already_linked: 'That Instagram account is already linked to another user of Creator Growth Tool.',
  internal: 'Something went wrong on our side while connecting Instagram. Please try again.',
};

/** readCallbackResult turns `?instagram=connected|error&reason=…` into a message, or null. */
export function readCallbackResult(params: URLSearchParams): CallbackResult | null {
  const outcome = params.get('instagram');
  if (outcome === 'connected') {
    return { tone: 'success', text: 'Your account is linked. We are fetching your posts now; your stats fill in as they arrive.' };
  }
  if (outcome === 'error') {
    const reason = params.get('reason') ?? 'internal';
    return { tone: 'error', text: reasons[reason] ?? reasons.internal ?? 'The connection failed.' };
  }
  return null;
}
