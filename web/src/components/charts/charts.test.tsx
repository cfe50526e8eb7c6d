import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BarChart } from '@/components/charts/bar-chart';
import { GainLossChart, gainLossSummary } from '@/components/charts/gain-loss-chart';
import { cellOpacity, Heatmap } from '@/components/charts/heatmap';
import { HorizontalBars } from '@/components/charts/horizontal-bars';
import { LineChart } from '@/components/charts/line-chart';

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

describe('LineChart', () => {
  const fmt = (x: number) => `t${x}`;

  it('is one labelled image with a line per series, a legend and a hidden table', () => {
    const { container } = render(
      <LineChart
        title="Views and reach"
        xHeader="Read at"
        formatX={fmt}
        series={[
          { key: 'views', name: 'Views', points: [{ x: 1, y: 300 }, { x: 2, y: 800 }, { x: 4, y: 1200 }], strokeClassName: 'stroke-a', fillClassName: 'fill-a' },
          { key: 'reach', name: 'Reach', points: [{ x: 1, y: 250 }, { x: 2, y: null }, { x: 4, y: 950 }], strokeClassName: 'stroke-b', fillClassName: 'fill-b' },
        ]}
      />,
    );
    expect(screen.getByRole('img', { name: 'Views and reach: Views from 300 on t1 to 1,200 on t4; Reach from 250 on t1 to 950 on t4.' })).toBeInTheDocument();
    expect(container.querySelectorAll('[data-series="views"] polyline')).toHaveLength(1);
    // The unknown reading splits reach: two lone points, no line through a made-up 0.
    expect(container.querySelectorAll('[data-series="reach"] polyline')).toHaveLength(0);
    expect(container.querySelectorAll('[data-series="reach"] circle')).toHaveLength(2);
    expect(screen.getByRole('row', { name: 't2 800 not available' })).toBeInTheDocument();
    expect(container.querySelector('ul')).toHaveTextContent('ViewsReach');
    expect(container.innerHTML).not.toContain('NaN');
    expect(container.querySelector('[style]')).toBeNull();
  });

  it('draws a single reading as a dot in the middle', () => {
    const { container } = render(
      <LineChart title="One" xHeader="x" formatX={fmt} series={[{ key: 'a', name: 'A', points: [{ x: 5, y: 7 }], strokeClassName: '', fillClassName: '' }]} />,
    );
    expect(container.querySelectorAll('circle')).toHaveLength(1);
    expect(container.querySelector('polyline')).toBeNull();
    expect(screen.getByRole('img', { name: 'One: A 7 on t5.' })).toBeInTheDocument();
    expect(container.innerHTML).not.toContain('NaN');
  });
});

describe('GainLossChart', () => {
  it('draws gains up and losses down, and no bar for an unknown day', () => {
    const { container } = render(
      <GainLossChart
        title="Followers gained and lost"
        data={[
          { label: 'Nov 1', gained: 12, lost: 4 },
          { label: 'Nov 2', gained: null, lost: null },
          { label: 'Nov 3', gained: 6, lost: 0 },
        ]}
      />,
    );
    expect(screen.getByRole('img', { name: 'Followers gained and lost: 18 gained, 4 lost over 3 days.' })).toBeInTheDocument();
    const gained = [...container.querySelectorAll('[data-kind="gained"]')];
    const lost = [...container.querySelectorAll('[data-kind="lost"]')];
    expect(gained).toHaveLength(2);
    expect(lost).toHaveLength(2);
    expect(Number(gained[0]?.getAttribute('height'))).toBeCloseTo(2 * Number(gained[1]?.getAttribute('height')));
    expect(Number(gained[0]?.getAttribute('height'))).toBeCloseTo(3 * Number(lost[0]?.getAttribute('height')));
    expect(screen.getByRole('row', { name: 'Nov 2 not available not available' })).toBeInTheDocument();
    expect(gainLossSummary('X', [{ label: 'a', gained: null, lost: null }], 'Gained', 'Lost')).toBe('X: no data.');
  });
});

describe('Heatmap', () => {
  it('colours cells robustly, outlines cells without a sample and lists every value', () => {
    const grid = [
      Array.from({ length: 24 }, (_, h) => (h === 3 ? null : 10 + h)),
      Array.from({ length: 24 }, (_, h) => (h === 3 ? 100000 : 40 + h)),
    ];
    const { container } = render(
      <Heatmap title="Online" grid={grid} rowLabels={['Sun', 'Mon']} columnLabel={(c) => `${c}h`} cellName={(r, c) => `${r}/${c}`} unit="online" />,
    );
    const cell = (id: string) => container.querySelector(`[data-cell="${id}"]`);
    expect(cell('0-3')).toHaveAttribute('fill', 'none');
    expect(cell('0-3')).not.toHaveAttribute('fill-opacity');
    expect(cell('0-0')).toHaveAttribute('fill-opacity', String(cellOpacity(0)));
    expect(cell('1-3')).toHaveAttribute('fill-opacity', '1');
    // 42 is not washed out by the 100,000 cell.
    expect(Number(cell('1-2')?.getAttribute('fill-opacity'))).toBeGreaterThan(0.5);
    expect(Number(cell('0-12')?.getAttribute('fill-opacity'))).toBeLessThan(Number(cell('1-2')?.getAttribute('fill-opacity')));
    expect(screen.getByRole('table', { name: 'Online' }).parentElement).toHaveClass('sr-only');
    expect(screen.getByRole('row', { name: /^Sun 10 11 12 no data 14 / })).toBeInTheDocument();
    expect(container.querySelector('[style]')).toBeNull();
  });

  it('draws an all-null grid as outlines only', () => {
    const { container } = render(
      <Heatmap title="Empty" grid={[[null, null]]} rowLabels={['Sun']} columnLabel={String} cellName={String} unit="online" />,
    );
    expect(container.querySelectorAll('rect[fill="none"][data-cell]')).toHaveLength(2);
    expect(container.innerHTML).not.toContain('NaN');
  });
});
