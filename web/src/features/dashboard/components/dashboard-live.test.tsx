import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Dashboard } from '@/features/dashboard/components/dashboard';
import { MAX_STREAM_ERRORS } from '@/features/instagram';
import { setSignedIn } from '@/lib/auth-token';
import { installEventSource } from '@/testing/event-source';
import { mockFetch, type Handler } from '@/testing/fetch-mock';
import { account, postsPage, stats, sync, user } from '@/testing/fixtures';
import { renderWithRouter } from '@/testing/render';

function renderDashboard() {
  setSignedIn(user(), false);
  return renderWithRouter(<Dashboard syncIntervalMs={10} />, '/dashboard');
}

const routes = (extra: Record<string, Handler | Handler[]> = {}) => ({
  'GET /api/instagram/posts': { body: postsPage(3, 3) },
  'GET /api/growth/stats': { body: stats() },
  'GET /api/instagram/sync': { body: sync('idle') },
  'POST /api/instagram/refresh': { status: 202, body: { status: 'fetch scheduled', account: account() } },
  ...extra,
});

describe('Dashboard live updates', () => {
  it('opens GET /api/events with credentials and follows a refresh through it, without polling', async () => {
    const es = installEventSource();
    const { callsTo } = mockFetch(routes());
    const { user } = renderDashboard();
    await screen.findByTestId('recommendation');
    await waitFor(() => es.latest());
    const stream = es.latest();
    expect(new URL(stream.url, 'http://localhost').pathname).toBe('/api/events');
    expect(stream.withCredentials).toBe(true);
    act(() => stream.open());
    const syncChecks = callsTo('GET /api/instagram/sync').length;

    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    act(() => stream.emit('sync', { account_id: 'acc-1', state: 'running', posts_fetched: 7 }));
    expect(await screen.findByText('Syncing your posts… 7 posts fetched so far.')).toBeInTheDocument();
    // Another account's events are not this page's.
    act(() => stream.emit('sync', { account_id: 'acc-2', state: 'idle', posts_fetched: 99 }));
    expect(screen.getByTestId('sync-state')).toHaveTextContent('7 posts fetched so far');

    const statsBefore = callsTo('GET /api/growth/stats').length;
    act(() => stream.emit('sync', { account_id: 'acc-1', state: 'idle', posts_fetched: 12 }));
    expect(await screen.findByText('Sync finished: 12 posts fetched. Your stats are up to date.')).toBeInTheDocument();
    await waitFor(() => expect(callsTo('GET /api/growth/stats').length).toBeGreaterThan(statsBefore));
    await new Promise((r) => setTimeout(r, 60)); // several polling intervals
    expect(callsTo('GET /api/instagram/sync')).toHaveLength(syncChecks);
  });

  it('keeps a fetch the stream saw finish finished when the refresh answers late', async () => {
    const es = installEventSource();
    let answer: (r: { status: number; body: unknown }) => void = () => undefined;
    mockFetch(
      routes({
        'POST /api/instagram/refresh': () =>
          new Promise((resolve) => {
            answer = resolve;
          }),
      }),
    );
    const { user } = renderDashboard();
    await screen.findByTestId('recommendation');
    await waitFor(() => es.latest());
    const stream = es.latest();
    act(() => stream.open());

    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    // A small account's fetch is done before the refresh's own answer arrives.
    act(() => stream.emit('sync', { account_id: 'acc-1', state: 'running', posts_fetched: 3 }));
    act(() => stream.emit('sync', { account_id: 'acc-1', state: 'idle', posts_fetched: 5 }));
    expect(await screen.findByText('Sync finished: 5 posts fetched. Your stats are up to date.')).toBeInTheDocument();
    await act(async () => answer({ status: 202, body: { status: 'fetch scheduled', account: account() } }));
    await new Promise((r) => setTimeout(r, 30));
    expect(screen.getByTestId('sync-state')).toHaveTextContent('Sync finished: 5 posts fetched');
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeEnabled();
  });

  it('refetches the stats on a stats event', async () => {
    const es = installEventSource();
    const { callsTo } = mockFetch(routes());
    renderDashboard();
    await screen.findByTestId('recommendation');
    await waitFor(() => es.latest());
    act(() => es.latest().open());
    const before = callsTo('GET /api/growth/stats').length;
    act(() => es.latest().emit('stats', { account_id: 'acc-1' }));
    await waitFor(() => expect(callsTo('GET /api/growth/stats')).toHaveLength(before + 1));
    act(() => es.latest().emit('stats', { account_id: 'acc-2' }));
    await new Promise((r) => setTimeout(r, 30));
    expect(callsTo('GET /api/growth/stats')).toHaveLength(before + 1);
  });

  it('polls when the stream is refused', async () => {
    const es = installEventSource();
    const { callsTo } = mockFetch(
      routes({ 'GET /api/instagram/sync': [{ body: sync('idle') }, { body: sync('running', 3) }, { body: sync('idle', 8) }] }),
    );
    const { user } = renderDashboard();
    await screen.findByTestId('recommendation');
    await waitFor(() => es.latest());
    act(() => es.latest().refuse()); // 401 or 429: EventSource gives up
    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(await screen.findByText('Sync finished: 8 posts fetched. Your stats are up to date.')).toBeInTheDocument();
    expect(callsTo('GET /api/instagram/sync').length).toBeGreaterThanOrEqual(3);
  });

  it(`gives the stream up after ${MAX_STREAM_ERRORS} errors in a row and polls`, async () => {
    const es = installEventSource();
    const { callsTo } = mockFetch(routes({ 'GET /api/instagram/sync': [{ body: sync('idle') }, { body: sync('idle', 5) }] }));
    const { user } = renderDashboard();
    await screen.findByTestId('recommendation');
    await waitFor(() => es.latest());
    const stream = es.latest();
    act(() => stream.open());
    for (let i = 0; i < MAX_STREAM_ERRORS; i++) act(() => stream.drop());
    expect(stream.closed).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(await screen.findByText('Sync finished: 5 posts fetched. Your stats are up to date.')).toBeInTheDocument();
    expect(callsTo('GET /api/instagram/sync').length).toBeGreaterThanOrEqual(2);
  });

  it('reloads the stats when the stream comes back after an error', async () => {
    const es = installEventSource();
    const { callsTo } = mockFetch(routes());
    renderDashboard();
    await screen.findByTestId('recommendation');
    await waitFor(() => es.latest());
    const stream = es.latest();
    act(() => stream.open());
    const before = callsTo('GET /api/growth/stats').length;
    act(() => stream.drop());
    act(() => stream.open());
    await waitFor(() => expect(callsTo('GET /api/growth/stats')).toHaveLength(before + 1));
    expect(stream.closed).toBe(false);
  });
});
