/** ApiError is every failure of a call to the server, in one shape. */
export class ApiError extends Error {
  /** HTTP status; 0 when the request never got an answer. */
  readonly status: number;
  /** Machine code from the contract (`email_taken`, …) or a client-side one (`network_error`, `bad_response`). */
  readonly code: string;
  /** Seconds to wait before retrying, from `Retry-After`, when the server sent one. */
  readonly retryAfter: number | null;

  constructor(status: number, code: string, message: string, retryAfter: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

/** isApiError narrows unknown errors. */
export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** retryAfterText renders a wait time in plain words. */
export function retryAfterText(seconds: number | null): string {
  if (seconds === null || seconds <= 0) return 'Please wait a moment and try again.';
  if (seconds < 90) return `Please try again in ${plural(seconds, 'second')}.`;
  return `Please try again in ${plural(Math.ceil(seconds / 60), 'minute')}.`;
}

const codeMessages: Record<string, string> = {
  network_error: 'We could not reach the server. Check your connection and try again.',
  bad_response: 'The server sent an unexpected answer. Please try again in a moment.',
  email_taken: 'An account with this email already exists. Try logging in instead.',
  invalid_credentials: 'That email and password do not match.',
  invalid_email: 'Please enter a valid email address.',
  weak_password: 'Your password needs 8 to 72 characters.',
  unauthorized: 'Your session has ended. Please log in again.',
  no_instagram_account: 'No Instagram account is connected yet.',
  already_linked: 'That Instagram account is already linked to another user.',
  invalid_period: 'That period is not supported. Choose 7, 14, 30 or 90 days.',
  server_unreachable: 'The server is not reachable right now. Please try again in a moment.',
  unavailable: 'This part of the service is unavailable right now. Please try again later.',
  internal: 'Something went wrong on our side. Please try again in a moment.',
  body_too_large: 'That request was too large.',
  invalid_token: 'This link is invalid, already used or expired. Ask for a new one.',
  csrf_rejected: 'This request did not come from the app. Reload the page and try again.',
};

/** describeError turns any error into one sentence a user can act on. */
export function describeError(error: unknown): string {
  if (!isApiError(error)) {
    return 'Something unexpected went wrong. Please reload the page.';
  }
  if (error.code === 'rate_limited' || error.status === 429) {
    return `Too many attempts. ${retryAfterText(error.retryAfter)}`;
  }
  const known = codeMessages[error.code];
  if (known) return known;
  if (error.status >= 500) return codeMessages.internal ?? error.message;
  return error.message || 'The request could not be completed.';
}
