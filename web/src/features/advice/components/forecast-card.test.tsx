import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ForecastCard } from '@/features/advice/components/forecast-card';
import { followerHistory, forecast } from '@/testing/advice-fixtures';
import { apiError, mockFetch, type Handler, type MockResponse } from '@/testing/fetch-mock';
import { renderWithRouter } from '@/testing/render';

function renderCard(routes: Record<string, Handler | Handler[]>) {
  const mock = mockFetch({ 'GET /api/growth/audience': { body: followerHistory() }, ...routes });
  return { ...mock, ...renderWithRouter(<ForecastCard timeZone="Europe/Berlin" />) };
}

describe('ForecastCard', () => {
  it('draws the follower history, then the forecast with its 80% band', async () => {
    const { callsTo } = renderCard({ 'GET /api/growth/forecast': (url) => ({ body: forecast(Number(url.searchParams.get('horizon'))) }) });

    const chart = await screen.findByRole('img', { name: /^Followers: 1,248 followers on Dec 1; expected 1,310 on Dec 31, likely between 1,276 and 1,344\.$/ });
    const band = chart.querySelector('[data-part="band"]');
    expect(band?.getAttribute('points')?.split(' ')).toHaveLength(2 * 31);
    // History has one unknown day, so it is drawn as two lines with a gap, not as a dip to 0.
    expect(chart.querySelectorAll('polyline[data-part="history"]')).toHaveLength(2);
    expect(chart.querySelector('[data-part="forecast"]')).toHaveAttribute('stroke-dasharray', '5 4');
    expect(chart.innerHTML).not.toContain('NaN');
    expect(chart.querySelector('[style]')).toBeNull();
    expect(screen.getByTestId('forecast-summary')).toHaveTextContent('By Dec 31: about 1,310 followers, most likely between 1,276 and 1,344.');
    const table = screen.getByRole('table', { name: 'Followers' });
    expect(within(table).getByRole('row', { name: 'Dec 31 1,310 1,276 to 1,344' })).toBeInTheDocument();
    expect(within(table).getByRole('row', { name: 'Nov 17 not available' })).toBeInTheDocument();

    const call = callsTo('GET /api/growth/forecast')[0];
    expect(call?.url.searchParams.get('metric')).toBe('followers');
    expect(call?.url.searchParams.get('horizon')).toBe('30');
    expect(callsTo('GET /api/growth/audience')[0]?.url.searchParams.get('tz')).toBe('Europe/Berlin');
  });

  it('switches the horizon between a week, a month and three months', async () => {
    const { callsTo, user } = renderCard({
      'GET /api/growth/forecast': (url) => ({ body: forecast(Number(url.searchParams.get('horizon'))) }),
    });
    await screen.findByTestId('forecast-summary');

    await user.click(screen.getByRole('radio', { name: '1 week' }));
    expect(await screen.findByText(/^By Dec 8:/)).toBeInTheDocument();
    expect(callsTo('GET /api/growth/forecast').at(-1)?.url.searchParams.get('horizon')).toBe('7');

    await user.click(screen.getByRole('radio', { name: '3 months' }));
    expect(await screen.findByText(/^By Mar 1:/)).toBeInTheDocument();
    expect(callsTo('GET /api/growth/forecast').at(-1)?.url.searchParams.get('horizon')).toBe('90');
    expect(screen.getByRole('radio', { name: '3 months' })).toBeChecked();
  });

  it('says how much history is missing when there is not enough', async () => {
    renderCard({
      'GET /api/growth/forecast': { body: { metric: 'followers', method: 'damped_holt', status: 'insufficient_data', history_days: 9, points: [] } },
    });
    expect(await screen.findByTestId('forecast-insufficient')).toHaveTextContent('We need 14 days of follower history; we have 9.');
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
  });

  it('draws the forecast alone when the history cannot be loaded', async () => {
    renderCard({
      'GET /api/growth/forecast': { body: forecast(7) },
      'GET /api/growth/audience': apiError(503, 'unavailable', 'audience not ready'),
    });
    const chart = await screen.findByRole('img', { name: /^Followers: expected 1,264 on Dec 8/ });
    expect(chart.querySelector('[data-part="history"]')).toBeNull();
    expect(chart.querySelector('[data-part="band"]')).not.toBeNull();
    expect(await screen.findByText(/past follower counts could not be loaded/)).toBeInTheDocument();
  });

  it('shows loading, then an error with a working retry', async () => {
    let release: (r: MockResponse) => void = () => undefined;
    const { user } = renderCard({
      'GET /api/growth/forecast': [
        () => new Promise<MockResponse>((resolve) => (release = resolve)),
        { body: forecast() },
      ],
    });
    expect(screen.getByText('Loading the forecast').closest('[role="status"]')).toHaveAttribute('aria-busy', 'true');
    release(apiError(500, 'internal', 'boom'));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the forecast');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.getByTestId('forecast-summary')).toBeInTheDocument());
  });
});
