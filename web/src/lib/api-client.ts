import { env } from '@/config/env';
import { ApiError } from '@/lib/api-error';
import { setSignedOut } from '@/lib/auth-token';
import { accountScoped, getSelectedAccount } from '@/lib/selected-account';

/** RequestOptions describe one call to the API. */
export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** JSON body; serialised for you. */
  body?: unknown;
  /** Query parameters; undefined and null values are skipped. */
  query?: Record<string, string | number | undefined | null>;
  headers?: Record<string, string>;
  /**
   * Whether a 401 means the session has ended (default true). The session cookie is sent
   * with every request; calls that authenticate otherwise (login, the admin password) set
   * this to false.
   */
  auth?: boolean;
  signal?: AbortSignal;
}

/** buildUrl joins the configured base, a path and query parameters. */
export function buildUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) params.set(key, String(value));
  }
  const qs = params.toString();
  return `${env.apiBaseUrl}${path}${qs ? `?${qs}` : ''}`;
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function statusText(status: number): string {
  if (status === 502 || status === 503 || status === 504) {
    return 'The server is not reachable right now.';
  }
  return `The server answered with status ${status}.`;
}

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  let text = '';
  try {
    text = await response.text();
  } catch {
    // Body unreadable: fall through to the status text.
  }
  try {
    const body = JSON.parse(text) as { error?: unknown; code?: unknown };
    if (body && typeof body === 'object' && typeof body.code === 'string') {
      const message = typeof body.error === 'string' && body.error ? body.error : statusText(response.status);
      return new ApiError(response.status, body.code, message, retryAfter);
    }
  } catch {
    // Not JSON (a proxy's HTML 502 page, say).
  }
  const code = response.status === 429 ? 'rate_limited' : response.status >= 500 ? 'server_unreachable' : 'http_error';
  return new ApiError(response.status, code, statusText(response.status), retryAfter);
}

/** send performs the request and returns the successful Response, or throws ApiError. */
export async function send(path: string, options: RequestOptions = {}): Promise<Response> {
  const { method = 'GET', body, query, headers = {}, auth = true, signal } = options;
  const finalHeaders: Record<string, string> = { Accept: 'application/json', ...headers };
  if (body !== undefined) finalHeaders['Content-Type'] = 'application/json';

  let finalQuery = query;
  const accountId = accountScoped(path) && !query?.account_id ? getSelectedAccount() : null;
  if (accountId) finalQuery = { ...query, account_id: accountId };

  let response: Response;
  try {
    response = await fetch(buildUrl(path, finalQuery), {
      method,
      headers: finalHeaders,
      body: body === undefined ? undefined : JSON.stringify(body),
      // The session is the HttpOnly cookie, also when the API is on another origin.
      credentials: 'include',
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', 'Network request failed.');
  }

  if (!response.ok) {
    const apiError = await toApiError(response);
    // A 401 unauthorized on an authenticated call means the session is gone (a wrong
    // current password is 401 invalid_credentials and keeps it).
    if (apiError.status === 401 && apiError.code === 'unauthorized' && auth) setSignedOut('expired');
    throw apiError;
  }
  return response;
}

/** api performs a JSON request and returns the parsed body. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  if (response.status === 204) return undefined as T;
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError(response.status, 'bad_response', 'The server sent an unreadable answer.');
  }
}
