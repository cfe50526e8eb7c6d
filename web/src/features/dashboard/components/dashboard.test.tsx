import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { Dashboard } from '@/features/dashboard/components/dashboard';
import { UNKNOWN_REASON_TEXT } from '@/features/instagram';
import { setSignedIn } from '@/lib/auth-token';
import * as redirect from '@/lib/redirect';
import { adviceRoutes, recommendations } from '@/testing/advice-fixtures';
import { apiError, mockFetch, type Handler, type MockResponse } from '@/testing/fetch-mock';
import { account, audience, post, postsPage, stats, sync, user } from '@/testing/fixtures';
import { renderWithRouter } from '@/testing/render';

const noAccount = apiError(404, 'no_instagram_account', 'no instagram account connected');

function renderDashboard(path = '/dashboard') {
  setSignedIn(user(), false);
  return renderWithRouter(<Dashboard syncIntervalMs={10} />, path);
}

const connected = (extra: Record<string, Handler | Handler[]> = {}) => ({
  ...adviceRoutes(),
  'GET /api/instagram/posts': { body: postsPage(3, 3) },
  'GET /api/growth/stats': { body: stats() },
  'GET /api/growth/audience': { body: audience() },
  'GET /api/instagram/sync': { body: sync('idle') },
  'GET /api/instagram/accounts': { body: { accounts: [account()] } },
  'GET /api/share-links': { body: { share_links: [] } },
  ...extra,
});

describe('Dashboard', () => {
  it('shows skeletons while loading', () => {
    const pending = () => new Promise<MockResponse>(() => undefined);
    mockFetch({ 'GET /api/instagram/posts': pending, 'GET /api/growth/stats': pending });
    renderDashboard();
    expect(screen.getByText('Loading your dashboard').closest('[role="status"]')).toHaveAttribute('aria-busy', 'true');
  });

  it('asks to connect Instagram when there is no account, then goes to the authorize URL', async () => {
    const go = vi.spyOn(redirect, 'redirectTo').mockImplementation(() => undefined);
    mockFetch({
      'GET /api/instagram/posts': noAccount,
      'GET /api/growth/stats': noAccount,
      'GET /api/instagram/connect': { body: { url: 'https://ig.example/authorize?state=abc' } },
    });
    const { user } = renderDashboard();

    expect(await screen.findByRole('heading', { name: 'Connect your Instagram account' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Connect Instagram' }));

    await waitFor(() => expect(go).toHaveBeenCalledWith('https://ig.example/authorize?state=abc'));
  });

  it('explains a failed connect request', async () => {
    mockFetch({
      'GET /api/instagram/posts': noAccount,
      'GET /api/growth/stats': noAccount,
      'GET /api/instagram/connect': apiError(503, 'unavailable', 'instagram not configured'),
    });
    const { user } = renderDashboard();
    await user.click(await screen.findByRole('button', { name: 'Connect Instagram' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('This part of the service is unavailable right now.');
  });

  it('shows the account, stats, charts, best post and posts', async () => {
    const { calls } = mockFetch(connected());
    renderDashboard();

    expect(await screen.findByTestId('account-username')).toHaveTextContent('@sunny.creator');
    expect(screen.getByTestId('account-status')).toHaveTextContent('Connected');
    expect(await screen.findByTestId('recommendation')).toHaveTextContent("🔥 You're on fire! Engagement is way up.");
    expect(screen.getByTestId('stat-total-likes-value')).toHaveTextContent('3,400');
    expect(screen.getByRole('img', { name: /^Daily likes: 250 likes over 2 days/ })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /^Daily comments: 12 comments/ })).toBeInTheDocument();
    expect(screen.getByText('Tuesday, 6 pm')).toBeInTheDocument();
    expect(screen.getByText('#travel')).toBeInTheDocument();
    expect(screen.getByText('Photos')).toBeInTheDocument();
    expect(screen.getByTestId('best-post-caption')).toHaveTextContent('Sunset over the bay #travel');
    expect(screen.getByTestId('best-post-likes')).toHaveTextContent('450');
    expect(screen.getByRole('link', { name: /View on Instagram/ })).toHaveAttribute('href', 'https://www.instagram.com/p/1/');
    expect(screen.getAllByTestId('post-item')).toHaveLength(3);

    const statsCall = calls.find((c) => c.url.pathname === '/api/growth/stats');
    expect(statsCall?.url.searchParams.get('period')).toBe('30');
    expect(statsCall?.url.searchParams.get('tz')).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });

  it('shows the insights cards, their coverage and the audience, asking in the browser zone', async () => {
    const { calls } = mockFetch(connected());
    renderDashboard();

    expect(await screen.findByTestId('stat-total-views-value')).toHaveTextContent('41,000');
    expect(within(screen.getByTestId('stat-total-shares')).getByText('+40.0%')).toBeInTheDocument();
    expect(screen.getByTestId('stat-engagement-rate-by-reach-value')).toHaveTextContent('9.8%');
    expect(screen.getByTestId('insights-coverage')).toHaveTextContent('Insights for 11 of 12 posts.');
    expect(await screen.findByTestId('audience-net-value')).toHaveTextContent('+268');
    expect(screen.getByRole('heading', { name: 'Audience' })).toBeInTheDocument();

    // The Audience section asks for the dashboard's period (the forecast's history asks for 90 days).
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const audienceCalls = calls.filter((c) => c.url.pathname === '/api/growth/audience');
    expect(audienceCalls.some((c) => c.url.searchParams.get('period') === '30' && c.url.searchParams.get('tz') === zone)).toBe(true);
  });

  it('links every post and the best post to their insights page', async () => {
    mockFetch(connected());
    const { user } = renderDashboard();
    const links = await screen.findAllByTestId('post-link');
    expect(links).toHaveLength(3);
    expect(links[1]).toHaveAttribute('href', '/posts/post-2');
    expect(screen.getByTestId('best-post-link')).toHaveAttribute('href', '/posts/post-1');
    await user.click(screen.getByTestId('best-post-link'));
    expect(screen.getByTestId('location')).toHaveTextContent('/posts/post-1');
  });

  it('keeps the one-sentence message and adds what to do next, asked once per load', async () => {
    const { callsTo } = mockFetch(connected({ 'GET /api/growth/recommendations': { body: recommendations() } }));
    renderDashboard();
    expect(await screen.findByTestId('recommendation')).toHaveTextContent("🔥 You're on fire! Engagement is way up.");
    expect(await screen.findAllByTestId('suggestion')).toHaveLength(2);
    expect(screen.getByRole('table', { name: /Posting score by weekday and hour/ })).toBeInTheDocument();
    expect(await screen.findByTestId('forecast-insufficient')).toHaveTextContent('we have 3');
    expect(await screen.findByText('No goals yet')).toBeInTheDocument();
    expect(callsTo('GET /api/growth/recommendations')).toHaveLength(1);
  });

  it('switches the period with the mouse and the keyboard', async () => {
    const { callsTo } = mockFetch(connected());
    const { user } = renderDashboard();
    await screen.findByTestId('recommendation');

    await user.click(screen.getByRole('radio', { name: '7 days' }));
    await waitFor(() => expect(callsTo('GET /api/growth/stats').at(-1)?.url.searchParams.get('period')).toBe('7'));
    expect(screen.getByRole('radio', { name: '7 days' })).toBeChecked();

    await waitFor(() => expect(callsTo('GET /api/growth/audience').at(-1)?.url.searchParams.get('period')).toBe('7'));

    await user.keyboard('{ArrowRight}');
    await waitFor(() => expect(callsTo('GET /api/growth/stats').at(-1)?.url.searchParams.get('period')).toBe('14'));
    expect(screen.getByRole('radio', { name: '14 days' })).toBeChecked();
  });

  it('shows empty states for a period without posts', async () => {
    mockFetch(
      connected({
        'GET /api/growth/stats': {
          body: stats({
            total_posts: 0, total_likes: 0, total_comments: 0, avg_likes: 0, avg_comments: 0,
            likes_trend: 0, comments_trend: 0, best_post: null, engagement_rate: null,
            message: 'No posts yet in this period. Time to share something! 📸',
            daily: [{ date: '2026-11-25', posts: 0, likes: 0, comments: 0, views: null, reach: null }],
            insights_coverage: null,
            media_types: [], best_posting_times: [], top_hashtags: [],
          }),
        },
      }),
    );
    renderDashboard();

    expect(await screen.findByTestId('recommendation')).toHaveTextContent('No posts yet in this period.');
    expect(screen.getByText('No likes in this period')).toBeInTheDocument();
    expect(screen.getByText('No comments in this period')).toBeInTheDocument();
    expect(screen.getAllByText('No posts in this period')).toHaveLength(2);
    expect(screen.getByText('Not enough posts yet')).toBeInTheDocument();
    expect(screen.getByText('No repeated hashtags yet')).toBeInTheDocument();
    expect(screen.getByTestId('stat-engagement-rate-value')).toHaveTextContent('—');
  });

  it('says when a post hides its like count', async () => {
    mockFetch(connected({ 'GET /api/instagram/posts': { body: { ...postsPage(0, 1), posts: [post(1, { like_count: null })] } } }));
    renderDashboard();
    expect(await screen.findByText('likes hidden')).toBeInTheDocument();
  });

  it('shows an empty post list before the first sync', async () => {
    mockFetch(connected({ 'GET /api/instagram/posts': { body: { account: account({ last_synced_at: null }), posts_count: 0, posts: [] } } }));
    renderDashboard();
    expect(await screen.findByText('No posts yet')).toBeInTheDocument();
    expect(screen.getByText(/last synced never/)).toBeInTheDocument();
  });

  it('shows a stats error with a working retry', async () => {
    mockFetch(connected({ 'GET /api/growth/stats': [apiError(500, 'internal', 'db down'), { body: stats() }] }));
    const { user } = renderDashboard();

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load your stats');
    expect(alert).toHaveTextContent('Something went wrong on our side.');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('recommendation')).toBeInTheDocument();
  });

  it('shows an error when the account cannot be loaded', async () => {
    mockFetch({ 'GET /api/instagram/posts': { status: 502, text: 'Bad Gateway' }, 'GET /api/growth/stats': { body: stats() } });
    renderDashboard();
    expect(await screen.findByRole('alert')).toHaveTextContent('The server is not reachable right now.');
  });

  it('offers Reconnect when the account needs it', async () => {
    mockFetch(connected({ 'GET /api/instagram/posts': { body: { ...postsPage(1, 1), account: account({ status: 'needs_reauth' }) } } }));
    renderDashboard();
    expect(await screen.findByRole('button', { name: 'Reconnect' })).toBeInTheDocument();
    expect(screen.getByTestId('account-status')).toHaveTextContent('Needs reconnecting');
  });

  it.each([
    ['denied', /access was denied/],
    ['invalid_state', /expired or was already used/],
    ['exchange_failed', /did not confirm/],
    ['already_linked', /already linked to another user/],
    ['internal', /went wrong on our side/],
  ])('explains ?instagram=error&reason=%s and cleans the URL', async (reason, text) => {
    mockFetch({ 'GET /api/instagram/posts': noAccount, 'GET /api/growth/stats': noAccount });
    renderDashboard(`/dashboard?instagram=error&reason=${reason}`);
    expect(await screen.findByTestId('instagram-callback')).toHaveTextContent(text);
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/dashboard$/));
  });

  it.each([
    ['an unknown', 'quota_exceeded'],
    ['an empty', ''],
    ['an inherited', '__proto__'],
    ['a script-looking', '<script>document.title="x"</script><img src=x onerror=alert(1)>'],
    ['a very long', 'y'.repeat(20_000)],
  ])('shows a generic message for %s reason and cleans the URL', async (_name, reason) => {
    mockFetch({ 'GET /api/instagram/posts': noAccount, 'GET /api/growth/stats': noAccount });
    renderDashboard(`/dashboard?instagram=error&reason=${encodeURIComponent(reason)}`);
    expect(await screen.findByTestId('instagram-callback')).toHaveTextContent(UNKNOWN_REASON_TEXT);
    expect(await screen.findByRole('heading', { name: 'Connect your Instagram account' })).toBeInTheDocument();
    expect(document.querySelector('script, img[src="x"]')).toBeNull();
    expect(document.body).not.toHaveTextContent(reason || 'no reason at all');
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/dashboard$/));
  });

  it('welcomes ?instagram=connected and follows the first sync', async () => {
    const { callsTo } = mockFetch(connected({ 'GET /api/instagram/sync': [{ body: sync('running', 4) }, { body: sync('idle', 9) }] }));
    renderDashboard('/dashboard?instagram=connected');
    expect(await screen.findByTestId('instagram-callback')).toHaveTextContent('Your account is linked.');
    expect(await screen.findByText('Sync finished: 9 posts fetched. Your stats are up to date.')).toBeInTheDocument();
    await waitFor(() => expect(callsTo('GET /api/growth/stats').length).toBeGreaterThanOrEqual(2));
  });

  it('refreshes, polls the sync until idle and reloads the stats', async () => {
    const { callsTo } = mockFetch(
      connected({
        'POST /api/instagram/refresh': { status: 202, body: { status: 'fetch scheduled', account: account() } },
        'GET /api/instagram/sync': [{ body: sync('idle') }, { body: sync('queued') }, { body: sync('running', 5) }, { body: sync('idle', 12) }],
      }),
    );
    const { user } = renderDashboard();
    await screen.findByTestId('recommendation');

    await user.click(screen.getByRole('button', { name: 'Refresh' }));

    expect(await screen.findByText('Sync finished: 12 posts fetched. Your stats are up to date.')).toBeInTheDocument();
    expect(callsTo('POST /api/instagram/refresh')).toHaveLength(1);
    await waitFor(() => expect(callsTo('GET /api/growth/stats').length).toBeGreaterThanOrEqual(2));
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeEnabled();
  });

  it('reports a failed sync with its error', async () => {
    mockFetch(
      connected({
        'POST /api/instagram/refresh': { status: 202, body: { status: 'fetch scheduled', account: account() } },
        'GET /api/instagram/sync': [{ body: sync('idle') }, { body: sync('running', 2) }, { body: sync('failed', 2, 'Instagram rate limit reached') }],
      }),
    );
    const { user } = renderDashboard();
    await screen.findByTestId('recommendation');
    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    const alert = await screen.findByText('Instagram rate limit reached');
    expect(alert.closest('[role="alert"]')).toHaveTextContent('Sync failed');
  });

  it('disconnects after confirming in the dialog', async () => {
    let linked = true;
    const { callsTo } = mockFetch({
      'GET /api/instagram/posts': () => (linked ? { body: postsPage(2, 2) } : noAccount),
      'GET /api/growth/stats': () => (linked ? { body: stats() } : noAccount),
      'GET /api/growth/audience': () => (linked ? { body: audience() } : noAccount),
      'GET /api/instagram/sync': { body: sync('idle') },
      'DELETE /api/instagram/disconnect': () => {
        linked = false;
        return { body: { message: 'Instagram account disconnected' } };
      },
    });
    const { user } = renderDashboard();
    await screen.findByTestId('account-username');

    await user.click(screen.getByRole('button', { name: 'Disconnect' }));
    const dialog = screen.getByRole('dialog', { name: 'Disconnect Instagram?' });
    expect(dialog).toHaveTextContent('@sunny.creator');
    await user.click(within(dialog).getByRole('button', { name: 'Keep it connected' }));
    expect(callsTo('DELETE /api/instagram/disconnect')).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Disconnect' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Disconnect' }));

    expect(await screen.findByRole('heading', { name: 'Connect your Instagram account' })).toBeInTheDocument();
    expect(callsTo('DELETE /api/instagram/disconnect')).toHaveLength(1);
  });

  it('loads older posts with cursor=<next_cursor of the last page>', async () => {
    const first = postsPage(20, 25, 1);
    const { callsTo } = mockFetch(
      connected({
        'GET /api/instagram/posts': (url) =>
          url.searchParams.get('cursor') ? { body: postsPage(5, 25, 21) } : { body: first },
      }),
    );
    const { user } = renderDashboard();
    expect(await screen.findAllByTestId('post-item')).toHaveLength(20);

    await user.click(screen.getByRole('button', { name: 'Load more' }));

    await waitFor(() => expect(screen.getAllByTestId('post-item')).toHaveLength(25));
    const more = callsTo('GET /api/instagram/posts').at(-1);
    expect(more?.url.searchParams.get('cursor')).toBe(first.next_cursor);
    expect(more?.url.searchParams.get('before')).toBeNull();
    expect(more?.url.searchParams.get('limit')).toBe('20');
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });
});
