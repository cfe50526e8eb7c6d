import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BarChart } from '@/components/charts/bar-chart';
import { HorizontalBars } from '@/components/charts/horizontal-bars';

describe('BarChart', () => {
  it('is one labelled image with a hidden data table', () => {
    render(
      <BarChart
        title="Daily likes"
        unit="likes"
        data={[
          { label: 'Oct 27', value: 250 },
          { label: 'Oct 28', value: 0 },
          { label: 'Oct 29', value: 40 },
        ]}
      />,
    );
    const img = screen.getByRole('img', { name: /Daily likes: 290 likes over 3 days, highest 250 on Oct 27/ });
    expect(img.querySelectorAll('rect')).toHaveLength(3);
    expect(img.querySelector('[style]')).toBeNull();
    const table = screen.getByRole('table', { name: 'Daily likes' });
    expect(table).toHaveClass('sr-only');
    expect(screen.getByRole('row', { name: 'Oct 27 250' })).toBeInTheDocument();
  });

  it('draws zero-height bars for all-zero data without NaN', () => {
    const { container } = render(<BarChart title="Daily comments" unit="comments" data={[{ label: 'Oct 27', value: 0 }]} />);
    const rect = container.querySelector('rect');
    expect(rect).toHaveAttribute('height', '0');
    expect(container.innerHTML).not.toContain('NaN');
  });
});

describe('HorizontalBars', () => {
  it('prints every value as text and scales bars to the largest', () => {
    const { container } = render(
      <HorizontalBars
        title="Hashtags"
        items={[
          { key: 'a', label: '#travel', value: 400, valueText: '400 avg' },
          { key: 'b', label: '#food', value: 100, valueText: '100 avg' },
        ]}
      />,
    );
    expect(screen.getByRole('list', { name: 'Hashtags' })).toBeInTheDocument();
    expect(screen.getByText('400 avg')).toBeInTheDocument();
    const bars = [...container.querySelectorAll('rect')].filter((_, i) => i % 2 === 1);
    expect(bars.map((b) => b.getAttribute('width'))).toEqual(['100', '25']);
  });
});
