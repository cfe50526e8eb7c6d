import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AdviceSection } from '@/features/advice/components/advice-section';
import { followerHistory, forecast, insufficientRecommendations, recommendations } from '@/testing/advice-fixtures';
import { apiError, mockFetch, type Handler, type MockResponse } from '@/testing/fetch-mock';
import { renderWithRouter } from '@/testing/render';

const routes = (recs: Handler | Handler[]) => ({
  'GET /api/growth/recommendations': recs,
  'GET /api/growth/forecast': { body: forecast() },
  'GET /api/growth/audience': { body: followerHistory() },
  'GET /api/goals': { body: { goals: [] } },
});

function renderSection() {
  return renderWithRouter(<AdviceSection timeZone="Europe/Berlin" followers={1234} />, '/dashboard');
}

describe('NextSteps', () => {
  it('asks for period=90 in the viewer zone and lists suggestions strongest first with their sample and confidence', async () => {
    const { callsTo } = mockFetch(routes({ body: recommendations() }));
    renderSection();

    const items = await screen.findAllByTestId('suggestion');
    expect(items).toHaveLength(2);
    // The server sent the weaker one first: 0.6 is a smaller effect than 2.3.
    expect(items[0]).toHaveTextContent('Reels reach 2.3× more people than your other posts');
    expect(within(items[0] as HTMLElement).getByTestId('suggestion-sample')).toHaveTextContent('Based on 14 Reels and 38 other posts');
    expect(within(items[0] as HTMLElement).getByTestId('suggestion-confidence')).toHaveTextContent('Medium confidence');
    expect(items[0]).toHaveTextContent('2.3× more people reached');
    expect(items[1]).toHaveTextContent('Based on 9 posts and 43 posts');
    expect(within(items[1] as HTMLElement).getByTestId('suggestion-confidence')).toHaveTextContent('Low confidence');
    expect(items[1]).toHaveTextContent('40% fewer likes, comments, saves and shares');

    const call = callsTo('GET /api/growth/recommendations')[0];
    expect(call?.url.searchParams.get('period')).toBe('90');
    expect(call?.url.searchParams.get('tz')).toBe('Europe/Berlin');
  });

  it('shows the standout and flat posts against the median, linking to their post pages', async () => {
    mockFetch(routes({ body: recommendations() }));
    const { user } = renderSection();

    expect(await screen.findByTestId('outliers-median')).toHaveTextContent('Your typical post gets 212 likes, comments, saves and shares');
    const winners = screen.getByRole('region', { name: 'Your standout posts' });
    const link = within(winners).getByRole('link', { name: /Sunset reel/ });
    expect(link).toHaveAttribute('href', '/posts/post-7');
    expect(link).toHaveTextContent('520');
    expect(link).toHaveTextContent('(2.5×)');
    const laggards = screen.getByRole('region', { name: 'Posts that fell flat' });
    expect(within(laggards).getByRole('link', { name: /Blurry morning/ })).toHaveAttribute('href', '/posts/post-9');

    await user.click(link);
    expect(screen.getByTestId('location')).toHaveTextContent('/posts/post-7');
  });

  it('explains insufficient data with the number of posts so far', async () => {
    mockFetch(routes({ body: insufficientRecommendations() }));
    renderSection();
    expect(await screen.findByTestId('advice-insufficient')).toHaveTextContent(
      'Post at least 10 times in this period to get advice — you have 6.',
    );
    expect(screen.queryByTestId('suggestion')).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Your standout posts' })).not.toBeInTheDocument();
  });

  it('says when no pattern stands out', async () => {
    mockFetch(routes({ body: recommendations({ recommendations: [], outliers: { median_engagement: 200, winners: [], laggards: [] } }) }));
    renderSection();
    expect(await screen.findByText('No clear pattern yet')).toBeInTheDocument();
    expect(screen.getByText(/Across your 52 posts/)).toBeInTheDocument();
  });

  it('shows a busy region while loading', () => {
    const pending = () => new Promise<MockResponse>(() => undefined);
    mockFetch({ ...routes(pending), 'GET /api/growth/forecast': pending, 'GET /api/goals': pending, 'GET /api/growth/audience': pending });
    renderSection();
    expect(screen.getByText('Loading your advice').closest('[role="status"]')).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByText('Loading your best times')).toBeInTheDocument();
  });

  it('shows an error in plain words and retries', async () => {
    const { callsTo } = mockFetch(routes([apiError(500, 'internal', 'db down'), { body: recommendations() }]));
    const { user } = renderSection();

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load your advice');
    expect(alert).toHaveTextContent('Something went wrong on our side.');
    expect(alert).not.toHaveTextContent('db down');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findAllByTestId('suggestion')).toHaveLength(2);
    expect(callsTo('GET /api/growth/recommendations')).toHaveLength(2);
  });
});
