import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setSignedIn } from '@/lib/auth-token';
import { apiError, mockFetch, type MockResponse } from '@/testing/fetch-mock';
import { insights, post, postDetail, reading, user } from '@/testing/fixtures';
import { renderAt } from '@/testing/render';

function open(id = 'post-1') {
  setSignedIn(user(), false);
  return renderAt(`/posts/${id}`);
}

describe('PostPage', () => {
  it('shows the post, its latest insights and its lifespan curve', async () => {
    const { callsTo } = mockFetch({ 'GET /api/instagram/posts/post-1': { body: postDetail() } });
    open();

    expect(await screen.findByTestId('post-caption')).toHaveTextContent('Sunset over the bay #travel');
    expect(screen.getByTestId('post-likes')).toHaveTextContent('450');
    expect(screen.getByTestId('insight-views-value')).toHaveTextContent('1,200');
    expect(screen.getByTestId('insight-reach-value')).toHaveTextContent('950');
    expect(screen.getByTestId('insight-saved-value')).toHaveTextContent('14');
    expect(screen.getByTestId('insight-shares-value')).toHaveTextContent('9');
    expect(screen.getByTestId('insight-total_interactions-value')).toHaveTextContent('301');
    // A feed post has no watch time.
    expect(screen.queryByTestId('insight-avg_watch_time_ms')).not.toBeInTheDocument();

    const chart = within(screen.getByTestId('post-lifespan'));
    expect(chart.getByRole('img', { name: /^Views and reach over time: Views from 300 on .* to 1,200 on .*; Reach from 250 on .* to 950 on / })).toBeInTheDocument();
    expect(chart.getByText('3 readings. Totals since the post went up, as Instagram reported them each time.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Back to the dashboard/ })).toHaveAttribute('href', '/dashboard');
    expect(callsTo('GET /api/instagram/posts/post-1')).toHaveLength(1);
  });

  it('shows Reels watch time in seconds, the skip rate in percent and a dash for what Instagram did not report', async () => {
    const reel = post(2, {
      media_type: 'VIDEO',
      media_product_type: 'REELS',
      media_url: 'https://cdn.example.com/2.mp4',
      thumbnail_url: 'https://cdn.example.com/2.jpg',
      insights: insights({ avg_watch_time_ms: 8400, total_watch_time_ms: 10_080_000, skip_rate: 31.5, saved: null, profile_visits: null }),
    });
    mockFetch({ 'GET /api/instagram/posts/post-2': { body: postDetail({ post: reel }) } });
    open('post-2');

    expect(await screen.findByTestId('insight-avg_watch_time_ms-value')).toHaveTextContent('8.4 s');
    expect(screen.getByTestId('insight-total_watch_time_ms-value')).toHaveTextContent('10,080 s');
    expect(screen.getByTestId('insight-total_watch_time_ms')).toHaveTextContent('About 2 h 48 min in all');
    expect(screen.getByTestId('insight-skip_rate-value')).toHaveTextContent('31.5%');
    const saves = screen.getByTestId('insight-saved');
    expect(within(saves).getByTestId('insight-saved-value')).toHaveTextContent('—not available');
    expect(saves).toHaveTextContent('Not reported by Instagram');
    expect(saves).not.toHaveTextContent(/\d/);
    expect(screen.getByText(/^Reel · posted/)).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /Post number 2/ })).toHaveAttribute('src', 'https://cdn.example.com/2.jpg');
  });

  it('says "insights not available yet" for a post without insights or history', async () => {
    mockFetch({ 'GET /api/instagram/posts/post-3': { body: { post: post(3, { insights: null }), history: [] } } });
    open('post-3');

    expect(await screen.findByText('Insights not available yet')).toBeInTheDocument();
    expect(screen.getByText('No insights readings yet')).toBeInTheDocument();
    expect(screen.queryByTestId('insight-views')).not.toBeInTheDocument();
    expect(within(screen.getByTestId('post-lifespan')).queryByRole('img')).not.toBeInTheDocument();
  });

  it('shows a single reading as one point', async () => {
    mockFetch({ 'GET /api/instagram/posts/post-1': { body: postDetail({ history: [reading('2026-11-25T09:00:00Z', 40, null)] }) } });
    open();
    expect(await screen.findByText('One reading so far: the curve grows with each new reading.')).toBeInTheDocument();
    expect(screen.getByTestId('post-lifespan').querySelectorAll('circle')).toHaveLength(1);
  });

  it('treats a history whose readings carry no views or reach as no readings', async () => {
    mockFetch({ 'GET /api/instagram/posts/post-1': { body: postDetail({ history: [reading('2026-11-25T09:00:00Z', null, null)] }) } });
    open();
    expect(await screen.findByText('No insights readings yet')).toBeInTheDocument();
  });

  it('answers an unknown post with a not-found state', async () => {
    mockFetch({ 'GET /api/instagram/posts/nope': apiError(404, 'not_found', 'post not found') });
    open('nope');
    expect(await screen.findByRole('heading', { name: 'This post was not found' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to the dashboard' })).toHaveAttribute('href', '/dashboard');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows a loading state, then an error with a working retry', async () => {
    let release: (r: MockResponse) => void = () => undefined;
    mockFetch({
      'GET /api/instagram/posts/post-1': [
        () => new Promise<MockResponse>((resolve) => (release = resolve)),
        { body: postDetail() },
      ],
    });
    const { user } = open();
    expect(await screen.findByText('Loading the post')).toBeInTheDocument();
    release(apiError(500, 'internal', 'db down'));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load this post');
    expect(alert).toHaveTextContent('Something went wrong on our side.');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('post-caption')).toBeInTheDocument();
  });

  it('sends a logged-out visitor to the login page', async () => {
    mockFetch({});
    renderAt('/posts/post-1');
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/login?next=%2Fposts%2Fpost-1'));
  });
});
