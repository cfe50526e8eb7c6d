import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
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
