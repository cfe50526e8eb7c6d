import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BestTimesHeatmap, scoreLevel } from '@/features/advice/components/best-times-heatmap';
import { bestTimes, emptyGrid } from '@/testing/advice-fixtures';

const cell = (d: number, h: number) => document.querySelector(`[data-cell="${d}-${h}"]`) as HTMLElement;

describe('BestTimesHeatmap', () => {
  it('draws 7 × 24 cells, each labelled with its score, nulls styled apart', () => {
    render(<BestTimesHeatmap bestTimes={bestTimes()} timeZone="Europe/Berlin" />);
    const table = screen.getByRole('table', { name: /Posting score by weekday and hour/ });
    expect(within(table).getAllByRole('row')).toHaveLength(8);
    expect(table.querySelectorAll('[data-cell]')).toHaveLength(168);

    const scored = cell(1, 9);
    expect(scored).toHaveAttribute('aria-label', 'Monday, 9 am: score 30/100');
    expect(scored).toHaveAttribute('title', 'Monday, 9 am: score 30/100');
    expect(scored.className).toContain('bg-emerald-400/');

    const unknown = cell(0, 3);
    expect(unknown).toHaveAttribute('aria-label', 'Sunday, 3 am: no information yet');
    expect(unknown).toHaveAttribute('data-score', 'none');
    expect(unknown.className).toContain('border-dashed');
    expect(unknown.className).not.toContain('bg-emerald');
    expect(screen.getByTestId('heatmap-legend')).toHaveTextContent('No information yet');
  });

  it('marks the top hours with an outline and their rank, and the explore hour differently', () => {
    render(<BestTimesHeatmap bestTimes={bestTimes()} timeZone="Europe/Berlin" />);
    const first = cell(2, 18);
    expect(first).toHaveAttribute('data-top', '1');
    expect(first).toHaveAttribute('aria-label', 'Tuesday, 6 pm: score 82/100, best hour number 1');
    expect(first.className).toContain('outline-amber-300');
    expect(first).toHaveTextContent('1');
    expect(cell(5, 12)).toHaveAttribute('data-top', '3');

    const explore = cell(4, 12);
    expect(explore).toHaveAttribute('data-explore', 'true');
    expect(explore).toHaveAttribute('aria-label', 'Thursday, 12 pm: score 55/100, worth a try');
    expect(explore.className).toContain('outline-dashed');
    expect(explore.className).not.toContain('outline-amber-300');

    const marked = document.querySelectorAll('[data-top]');
    expect(marked).toHaveLength(3);
    expect(document.querySelectorAll('[data-explore]')).toHaveLength(1);

    const best = screen.getByRole('list', { name: 'Your best hours' });
    expect(within(best).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      '1Tuesday, 6 pmscore 82/100 · 6 posts at this hour',
      '2Tuesday, 7 pmscore 70/100 · 4 posts at this hour',
      '3Friday, 12 pmscore 64/100 · 3 posts at this hour',
    ]);
    expect(screen.getByTestId('best-times-explore')).toHaveTextContent('Worth a try: Thursday, 12 pm looks promising');
    const legend = screen.getByTestId('heatmap-legend');
    expect(legend).toHaveTextContent('Your best hours');
    expect(legend).toHaveTextContent('Worth a try');
  });

  it.each([
    ['performance', 'Based on how your own posts did at each hour.'],
    ['online_followers', 'Based on when your followers are online.'],
    ['both', 'Based on how your posts did at each hour and when your followers are online.'],
  ] as const)('says the basis %s in words with the zone', (basis, words) => {
    render(<BestTimesHeatmap bestTimes={bestTimes({ basis })} timeZone="America/New_York" />);
    expect(screen.getByTestId('best-times-basis')).toHaveTextContent(`${words} Hours in America/New_York.`);
  });

  it('says a top hour without posts comes from when followers are online', () => {
    render(<BestTimesHeatmap bestTimes={bestTimes({ top: [{ weekday: 0, hour: 5, score: 1, posts: 0 }] })} timeZone="UTC" />);
    expect(screen.getByRole('list', { name: 'Your best hours' })).toHaveTextContent(
      'Sunday, 5 amscore 100/100 · many followers online, no post of yours yet',
    );
  });

  it('shows an empty state when no hour has information, and no explore line without one', () => {
    render(<BestTimesHeatmap bestTimes={bestTimes({ heatmap: emptyGrid(), top: [], explore: null })} timeZone="UTC" />);
    expect(screen.getByText('No hours to compare yet')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(screen.queryByTestId('best-times-explore')).not.toBeInTheDocument();
  });

  it('scrolls sideways inside its own region on a narrow screen', () => {
    render(<BestTimesHeatmap bestTimes={bestTimes()} timeZone="UTC" />);
    const region = screen.getByRole('region', { name: /Best times grid/ });
    expect(region.className).toContain('overflow-x-auto');
    expect(region).toHaveAttribute('tabindex', '0');
  });
});

describe('scoreLevel', () => {
  it('maps scores to bands, clamping outside [0, 1]', () => {
    expect([-1, 0, 0.16, 0.17, 0.5, 0.99, 1, 2].map(scoreLevel)).toEqual([0, 0, 0, 1, 3, 5, 5, 5]);
  });
});
