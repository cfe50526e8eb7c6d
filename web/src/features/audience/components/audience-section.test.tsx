import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AudienceSection } from '@/features/audience/components/audience-section';
import { averageOf, busiestSlots, countryName, genderName } from '@/features/audience/lib/audience-format';
import { setSignedIn } from '@/lib/auth-token';
import { apiError, mockFetch, type MockResponse } from '@/testing/fetch-mock';
import { audience, heatmap, user as me } from '@/testing/fixtures';

const unavailable = {
  online_followers: { status: 'unavailable' as const, heatmap: null },
  demographics: { status: 'unavailable' as const, timeframe: null, followers: null, engaged: null },
};

function show(body: unknown, tz = 'Europe/Berlin') {
  setSignedIn(me(), false);
  const mock = mockFetch({ 'GET /api/growth/audience': { body } });
  const user = userEvent.setup();
  render(<AudienceSection period={30} timeZone={tz} />);
  return { ...mock, user };
}

describe('AudienceSection', () => {
  it('shows growth, daily reach, the online heatmap and demographics, asking in the given zone', async () => {
    const { calls, user } = show(audience());

    expect(await screen.findByTestId('audience-net-value')).toHaveTextContent('+268');
    expect(screen.getByTestId('audience-net-value')).toHaveClass('text-emerald-300');
    expect(screen.getByTestId('audience-gained-value')).toHaveTextContent('310');
    expect(screen.getByTestId('audience-lost-value')).toHaveTextContent('42');
    expect(screen.getByRole('img', { name: /^Followers over time: Followers from 1,201 on Nov 22 to 1,234 on Nov 24\./ })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Followers gained and lost per day: 47 gained, 3 lost over 3 days.' })).toBeInTheDocument();

    expect(screen.getByTestId('online-busiest')).toHaveTextContent('Most followers online: Tuesday 6 pm (about 410), Sunday 11 pm (about 123), Monday 11 pm (about 123).');
    expect(screen.getByText('Times in your zone (Europe/Berlin)')).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'Followers online by weekday and hour' })).toBeInTheDocument();

    const age = within(screen.getByTestId('demographics-age'));
    expect(age.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['18-24310 · 36%', '25-34420 · 49%', '35-44120 · 14%']);
    expect(within(screen.getByTestId('demographics-gender')).getByText('Women')).toBeInTheDocument();
    expect(within(screen.getByTestId('demographics-country')).getByText('Germany')).toBeInTheDocument();
    expect(within(screen.getByTestId('demographics-city')).getByText('Berlin, Berlin')).toBeInTheDocument();

    await user.click(screen.getByRole('radio', { name: 'Engaged audience' }));
    expect(within(screen.getByTestId('demographics-age')).getByText('42 · 49%')).toBeInTheDocument();

    expect(calls[0]?.url.searchParams.get('period')).toBe('30');
    expect(calls[0]?.url.searchParams.get('tz')).toBe('Europe/Berlin');
  });

  it('shows daily reach as a curve and a daily average, never a sum', async () => {
    show(audience());
    // Reach 5,400 + 6,000 + 6,600: the average is 6,000; views are known on two days.
    expect(await screen.findByTestId('audience-avg-reach-value')).toHaveTextContent('6,000');
    expect(screen.getByTestId('audience-avg-views-value')).toHaveTextContent('8,950');
    const reach = screen.getByTestId('audience-reach');
    expect(reach).not.toHaveTextContent('18,000');
    expect(within(reach).getByRole('img', { name: /^Accounts reached and views per day: Accounts reached from 5,400 on Nov 22 to 6,600 on Nov 24; Views from 8,800/ })).toBeInTheDocument();
    expect(within(reach).getByRole('row', { name: 'Nov 24 6,600 not available' })).toBeInTheDocument();
  });

  it('explains each part when there is no data yet', async () => {
    show(audience({ followers_gained: null, followers_lost: null, net_followers: null, daily: [], ...unavailable }));

    const growth = within(await screen.findByTestId('audience-growth'));
    expect(growth.getByTestId('audience-net-value')).toHaveTextContent('Not available yet');
    expect(growth.getByTestId('audience-gained-value')).toHaveTextContent('Not available yet');
    expect(growth.getByText('Instagram has not reported new or lost followers for this period yet.')).toBeInTheDocument();
    expect(growth.getByText('No follower history yet')).toBeInTheDocument();
    expect(within(screen.getByTestId('audience-reach')).getByText('Not available yet')).toBeInTheDocument();
    expect(within(screen.getByTestId('audience-online')).getByTestId('part-unavailable')).toHaveTextContent('Instagram has not sent when your followers are online yet.');
    expect(within(screen.getByTestId('audience-demographics')).getByTestId('part-unavailable')).toHaveTextContent('Instagram has not sent who your followers are yet.');
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
    expect(screen.getByTestId('audience')).not.toHaveTextContent(/\b0\b/);
  });

  it('says "not enough followers" under 100 followers', async () => {
    show(
      audience({
        followers: 57,
        followers_gained: null,
        followers_lost: null,
        net_followers: null,
        daily: [{ date: '2026-11-24', followers: 57, gained: null, lost: null, reach: 40, views: 90 }],
        online_followers: { status: 'insufficient_followers', heatmap: null },
        demographics: { status: 'insufficient_followers', timeframe: null, followers: null, engaged: null },
      }),
    );
    const online = within(await screen.findByTestId('audience-online'));
    expect(online.getByText('Not enough followers yet')).toBeInTheDocument();
    expect(online.getByTestId('part-insufficient')).toHaveTextContent('once an account has 100 followers; you have 57.');
    expect(within(screen.getByTestId('audience-demographics')).getByTestId('part-insufficient')).toHaveTextContent('who your followers are');
    expect(screen.getByTestId('audience-flows-note')).toHaveTextContent('Instagram counts new and lost followers from 100 followers on.');
    expect(screen.getByTestId('audience-one-count')).toHaveTextContent('One follower count so far: 57 on Nov 24.');
    expect(screen.queryByRole('img', { name: /^Followers over time/ })).not.toBeInTheDocument();
    expect(screen.getByTestId('audience-avg-reach-value')).toHaveTextContent('40');
  });

  it('shows a lost-followers period in red and a reading without hours as empty', async () => {
    show(audience({ followers_gained: 3, followers_lost: 10, net_followers: -7, online_followers: { status: 'ok', heatmap: heatmap(() => null) } }));
    expect(await screen.findByTestId('audience-net-value')).toHaveTextContent('−7');
    expect(screen.getByTestId('audience-net-value')).toHaveClass('text-rose-300');
    expect(within(screen.getByTestId('audience-online')).getByText('No hours reported yet')).toBeInTheDocument();
  });

  it('says when engaged-audience breakdowns are empty', async () => {
    const base = audience();
    if (base.demographics.status !== 'ok') throw new Error('fixture');
    const { user } = show(
      audience({ demographics: { ...base.demographics, engaged: { age: [], gender: [], country: [], city: [] } } }),
    );
    await user.click(await screen.findByRole('radio', { name: 'Engaged audience' }));
    expect(screen.getAllByText('Not enough engaged accounts for Instagram to say yet.')).toHaveLength(4);
  });

  it('shows skeletons while loading, then an error with a working retry', async () => {
    let release: (r: MockResponse) => void = () => undefined;
    setSignedIn(me(), false);
    mockFetch({
      'GET /api/growth/audience': [() => new Promise<MockResponse>((resolve) => (release = resolve)), { body: audience() }],
    });
    const user = userEvent.setup();
    render(<AudienceSection period={30} timeZone="UTC" />);
    expect(screen.getByText('Loading your audience').closest('[role="status"]')).toHaveAttribute('aria-busy', 'true');
    release(apiError(503, 'unavailable', 'database down'));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load your audience');
    expect(alert).toHaveTextContent('This part of the service is unavailable right now.');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.getByTestId('audience-net-value')).toHaveTextContent('+268'));
  });
});

describe('audience helpers', () => {
  it('averages known values only', () => {
    expect(averageOf([10, null, 20])).toBe(15);
    expect(averageOf([null, null])).toBeNull();
    expect(averageOf([])).toBeNull();
  });

  it('finds the busiest hours, skipping unknown cells', () => {
    expect(busiestSlots([[null, 5, 9], [9, null, 1]], 2)).toEqual([
      { weekday: 0, hour: 2, value: 9 },
      { weekday: 1, hour: 0, value: 9 },
    ]);
    expect(busiestSlots([[null]])).toEqual([]);
  });

  it('names genders and countries in words, keeping unknown keys', () => {
    expect(genderName('F')).toBe('Women');
    expect(genderName('M')).toBe('Men');
    expect(genderName('U')).toBe('Not specified');
    expect(genderName('X')).toBe('X');
    expect(countryName('US')).toBe('United States');
    expect(countryName('Somewhere')).toBe('Somewhere');
  });
});
