import { vi } from 'vitest';

/** MockResponse describes one canned answer. */
export interface MockResponse {
  status?: number;
  body?: unknown;
  /** Raw text instead of JSON. */
  text?: string;
  headers?: Record<string, string>;
}

/** Handler answers one request, fixed or computed from it. */
export type Handler = MockResponse | ((url: URL, init: RequestInit) => MockResponse | Promise<MockResponse>);

/** RecordedCall is one request the code under test made. */
export interface RecordedCall {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

/**
 * mockFetch stubs the global fetch with handlers keyed by "METHOD /path". A handler may be
 * an array (answers used in order, the last one repeats). Unmatched requests fail the test.
 */
export function mockFetch(routes: Record<string, Handler | Handler[]>) {
  const calls: RecordedCall[] = [];
  const counters = new Map<string, number>();

  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    const method = (init.method ?? 'GET').toUpperCase();
    const key = `${method} ${url.pathname}`;
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    calls.push({ method, url, headers: new Headers(init.headers), body });

    const entry = routes[key];
    if (!entry) throw new Error(`Unexpected request: ${key}`);
    let handler: Handler;
    if (Array.isArray(entry)) {
      const n = counters.get(key) ?? 0;
      counters.set(key, n + 1);
      handler = entry[Math.min(n, entry.length - 1)] as Handler;
    } else {
      handler = entry;
    }
    const answer = typeof handler === 'function' ? await handler(url, init) : handler;
    const status = answer.status ?? 200;
    const text = answer.text ?? (answer.body === undefined ? '' : JSON.stringify(answer.body));
    const headers = new Headers(answer.headers);
    if (answer.text === undefined && answer.body !== undefined) headers.set('Content-Type', 'application/json; charset=utf-8');
    return new Response(status === 204 ? null : text, { status, headers });
  });

  vi.stubGlobal('fetch', fetchMock);
  return { fetchMock, calls, callsTo: (key: string) => calls.filter((c) => `${c.method} ${c.url.pathname}` === key) };
}

/** apiError builds the contract's error answer. */
export function apiError(status: number, code: string, error = 'Something failed', headers?: Record<string, string>): MockResponse {
  return { status, body: { error, code }, headers };
}

/** fakeJwt builds an unsigned token whose `exp` is `secondsFromNow` away. */
export function fakeJwt(secondsFromNow = 3600): string {
  const encode = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  const exp = Math.floor(Date.now() / 1000) + secondsFromNow;
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ user_id: 'u1', email: 'a@b.co', exp })}.signature`;
}
