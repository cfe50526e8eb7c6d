import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { coverageText, freshnessText, InsightsStatus } from '@/features/growth/components/insights-status';
import { StatCards } from '@/features/growth/components/stat-cards';
import { TrendIndicator } from '@/features/growth/components/trend-indicator';
import { describeTrend } from '@/features/growth/lib/trend';
import { stats } from '@/testing/fixtures';

describe('TrendIndicator', () => {
  it('shows an up trend in green with an arrow, a sign and words', () => {
    const { container } = render(<TrendIndicator value={21.44} />);
    const trend = container.firstElementChild as HTMLElement;
    expect(trend).toHaveAttribute('data-trend', 'up');
    expect(trend).toHaveClass('text-emerald-300');
    expect(trend).toHaveTextContent('▲');
    expect(trend).toHaveTextContent('+21.4%');
    expect(screen.getByText('Up 21.4% on the previous period')).toHaveClass('sr-only');
  });

  it('shows a down trend in red with a minus sign', () => {
    const { container } = render(<TrendIndicator value={-10.46} />);
    const trend = container.firstElementChild as HTMLElement;
    expect(trend).toHaveAttribute('data-trend', 'down');
    expect(trend).toHaveClass('text-rose-300');
    expect(trend).toHaveTextContent('▼');
    expect(trend).toHaveTextContent('−10.5%');
    expect(screen.getByText('Down 10.5% on the previous period')).toBeInTheDocument();
  });

  it('shows flat and unknown trends in grey', () => {
    expect(describeTrend(0.04)).toMatchObject({ direction: 'flat', text: '0.0%', className: 'text-slate-300' });
    expect(describeTrend(-0.04)).toMatchObject({ direction: 'flat' });
    expect(describeTrend(null)).toMatchObject({ direction: 'none', text: '—', className: 'text-slate-300' });
    expect(describeTrend(undefined).spoken).toBe('No trend data for this period');
  });
});

describe('StatCards', () => {
  it('shows the period numbers rounded as the contract says', () => {
    render(<StatCards stats={stats()} />);
    expect(screen.getByTestId('stat-total-posts-value')).toHaveTextContent('12');
    expect(screen.getByTestId('stat-total-likes-value')).toHaveTextContent('3,400');
    expect(screen.getByTestId('stat-total-comments-value')).toHaveTextContent('210');
    expect(screen.getByTestId('stat-avg-likes-value')).toHaveTextContent('283.33');
    expect(screen.getByTestId('stat-avg-comments-value')).toHaveTextContent('17.5');
    expect(screen.getByTestId('stat-engagement-rate-value')).toHaveTextContent('24.4%');
    expect(screen.getByTestId('stat-posts-per-week-value')).toHaveTextContent('2.8');
    expect(screen.getByTestId('stat-followers-value')).toHaveTextContent('1,234');
    expect(within(screen.getByTestId('stat-total-posts')).getByText('Previous period: 9')).toBeInTheDocument();
  });

  it('puts the trends on likes, comments and followers', () => {
    render(<StatCards stats={stats()} />);
    expect(within(screen.getByTestId('stat-total-likes')).getByText('+21.4%')).toBeInTheDocument();
    expect(within(screen.getByTestId('stat-total-comments')).getByText('−10.5%')).toBeInTheDocument();
    const followers = screen.getByTestId('stat-followers');
    expect(followers.querySelector('[data-trend]')).toHaveAttribute('data-trend', 'none');
  });

  it('shows unknown values as a dash', () => {
    render(<StatCards stats={stats({ engagement_rate: null, followers: null, followers_trend: null })} />);
    expect(screen.getByTestId('stat-engagement-rate-value')).toHaveTextContent('—');
    expect(screen.getByTestId('stat-followers-value')).toHaveTextContent('—');
  });
});

describe('StatCards insights', () => {
  it('shows views, reach, saves and shares with their trends', () => {
    render(<StatCards stats={stats()} />);
    expect(screen.getByTestId('stat-total-views-value')).toHaveTextContent('41,000');
    expect(screen.getByTestId('stat-total-reach-value')).toHaveTextContent('30,500');
    expect(screen.getByTestId('stat-total-saves-value')).toHaveTextContent('220');
    expect(screen.getByTestId('stat-total-shares-value')).toHaveTextContent('140');
    expect(within(screen.getByTestId('stat-total-views')).getByText('+12.0%')).toBeInTheDocument();
    expect(within(screen.getByTestId('stat-total-reach')).getByText('+8.4%')).toBeInTheDocument();
    expect(within(screen.getByTestId('stat-total-saves')).getByText('−3.1%')).toBeInTheDocument();
    expect(within(screen.getByTestId('stat-total-shares')).getByText('+40.0%')).toBeInTheDocument();
  });

  it('puts engagement by reach beside engagement by followers', () => {
    render(<StatCards stats={stats()} />);
    const cards = screen.getAllByRole('region').map((r) => r.getAttribute('data-testid'));
    const i = cards.indexOf('stat-engagement-rate');
    expect(cards[i + 1]).toBe('stat-engagement-rate-by-reach');
    expect(screen.getByTestId('stat-engagement-rate-by-reach-value')).toHaveTextContent('9.8%');
    expect(screen.getByTestId('stat-engagement-rate-by-reach')).toHaveTextContent('Per post, of accounts reached');
  });

  it('says "Not available yet" with a reason for unknown insights, never 0 and no trend', () => {
    render(
      <StatCards
        stats={stats({
          total_views: null, total_reach: null, total_saves: null, total_shares: 0,
          views_trend: null, reach_trend: null, saves_trend: null, shares_trend: 0,
          engagement_rate_by_reach: null,
        })}
      />,
    );
    for (const id of ['total-views', 'total-reach', 'total-saves', 'engagement-rate-by-reach']) {
      const card = screen.getByTestId(`stat-${id}`);
      expect(within(card).getByTestId(`stat-${id}-value`)).toHaveTextContent('Not available yet');
      expect(card).not.toHaveTextContent(/\b0\b/);
      expect(card.querySelector('[data-trend]')).toBeNull();
    }
    expect(screen.getByTestId('stat-total-views')).toHaveTextContent('Instagram has not reported views for these posts yet.');
    expect(screen.getByTestId('stat-total-saves')).toHaveTextContent('Instagram has not reported saves for these posts yet.');
    // A known 0 stays a 0, with its trend.
    expect(screen.getByTestId('stat-total-shares-value')).toHaveTextContent(/^0$/);
    expect(screen.getByTestId('stat-total-shares').querySelector('[data-trend]')).toHaveAttribute('data-trend', 'flat');
  });

  it('explains missing insights by the lack of posts when there are none', () => {
    render(<StatCards stats={stats({ total_posts: 0, total_views: null })} />);
    expect(screen.getByTestId('stat-total-views')).toHaveTextContent('No posts in this period, so no views to count.');
  });
});

describe('InsightsStatus', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');

  it('says for how many posts there are insights and how fresh they are', () => {
    render(<InsightsStatus stats={stats()} now={now} />);
    expect(screen.getByTestId('insights-coverage')).toHaveTextContent('Insights for 11 of 12 posts.');
    expect(screen.getByTestId('insights-coverage')).toHaveTextContent('count only the posts with insights');
    expect(screen.getByTestId('insights-freshness')).toHaveTextContent('Posts synced 5 min ago, insights 1 h ago. Next sync in 25 min.');
  });

  it('does not add a caveat when every post has insights', () => {
    render(<InsightsStatus stats={stats({ insights_coverage: 1 })} now={now} />);
    expect(screen.getByTestId('insights-coverage')).toHaveTextContent(/^Insights for 12 of 12 posts\.$/);
  });

  it('covers no posts, no insights and many posts honestly', () => {
    expect(coverageText(null, 0)).toBe('No posts in this period, so no insights yet.');
    expect(coverageText(0, 3)).toBe('No insights yet for the 3 posts of this period.');
    expect(coverageText(1, 1)).toBe('Insights for 1 of 1 post.');
    expect(coverageText(0.92, 150)).toBe('Insights for 92% of 150 posts.');
  });

  it('says when nothing was synced yet', () => {
    expect(freshnessText({ posts_synced_at: null, insights_synced_at: null, next_sync_at: null }, now)).toBe(
      'Posts not synced yet, insights not read yet.',
    );
    expect(freshnessText({ posts_synced_at: '2026-11-23T12:00:00Z', insights_synced_at: null, next_sync_at: '2026-11-25T11:00:00Z' }, now)).toBe(
      'Posts synced 2 days ago, insights not read yet. Next sync now.',
    );
  });
});
