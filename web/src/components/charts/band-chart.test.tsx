import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BandChart, bandTicks, describeBand } from '@/components/charts/band-chart';

const fx = (x: number) => `d${x}`;

describe('BandChart', () => {
  it('draws the band between low and high, the prediction joined to the last observed value', () => {
    render(
      <BandChart
        title="Followers"
        unit="followers"
        formatX={fx}
        history={[
          { x: 0, y: 100 },
          { x: 1, y: 110 },
        ]}
        forecast={[
          { x: 2, y: 120, low: 115, high: 125 },
          { x: 3, y: 130, low: 110, high: 150 },
        ]}
      />,
    );
    const img = screen.getByRole('img', { name: 'Followers: 110 followers on d1; expected 130 on d3, likely between 110 and 150.' });
    const band = img.querySelector('[data-part="band"]')?.getAttribute('points')?.split(' ') ?? [];
    // Three points along the top (the join and two predictions), then back along the bottom.
    expect(band).toHaveLength(6);
    const forecastLine = img.querySelector('[data-part="forecast"]')?.getAttribute('points')?.split(' ') ?? [];
    expect(forecastLine).toHaveLength(3);
    const historyLine = img.querySelector('[data-part="history"]')?.getAttribute('points')?.split(' ') ?? [];
    expect(forecastLine[0]).toBe(historyLine[historyLine.length - 1]);
    // The band at the last date spans from y(110) to y(150): its top is above its bottom.
    const yOf = (p: string | undefined) => Number(p?.split(',')[1]);
    expect(yOf(band[2])).toBeLessThan(yOf(band[3]));
    expect(img.innerHTML).not.toContain('NaN');
  });

  it('handles a single flat forecast point without history', () => {
    const { container } = render(<BandChart title="Followers" unit="followers" formatX={fx} history={[]} forecast={[{ x: 5, y: 50, low: 50, high: 50 }]} />);
    expect(container.innerHTML).not.toContain('NaN');
    expect(screen.getByRole('img')).toHaveAccessibleName('Followers: expected 50 on d5, likely between 50 and 50.');
  });
});

describe('bandTicks', () => {
  it('covers the range with round steps that need not start at 0', () => {
    expect(bandTicks(1203, 1344)).toEqual([1200, 1250, 1300, 1350]);
    expect(bandTicks(7, 7)).toEqual([6, 7, 8]);
    expect(bandTicks(Number.NaN, 3)).toEqual([0, 1]);
  });
});

describe('describeBand', () => {
  it('skips unknown history values', () => {
    expect(describeBand('F', [{ x: 1, y: 9 }, { x: 2, y: null }], [], fx, 'followers')).toBe('F: 9 followers on d1.');
    expect(describeBand('F', [], [], fx, 'followers')).toBe('F: no data.');
  });
});
