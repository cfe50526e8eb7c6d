import { describe, expect, it } from 'vitest';
import { bandLayout, linearScale, maxOf, niceRange, niceStep, niceTicks, quantile, robustScale, sparklinePoints } from '@/lib/chart-scale';

describe('niceTicks', () => {
  it('gives an axis even when every value is 0', () => {
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(Number.NaN)).toEqual([0, 1]);
    expect(niceTicks(-5)).toEqual([0, 1]);
  });

  it('uses round steps that cover the maximum', () => {
    expect(niceTicks(450)).toEqual([0, 200, 400, 600]);
    expect(niceTicks(100)).toEqual([0, 25, 50, 75, 100]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
  });

  it('never gives fractional ticks for counts', () => {
    expect(niceTicks(1)).toEqual([0, 1]);
    expect(niceTicks(3)).toEqual([0, 1, 2, 3]);
    for (const tick of niceTicks(13)) expect(Number.isInteger(tick)).toBe(true);
  });

  it('allows fractional ticks when asked', () => {
    expect(niceTicks(1, 4, false)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
});

describe('niceStep', () => {
  it('rounds to 1, 2, 2.5, 5 or 10 times a power of ten', () => {
    expect(niceStep(112.5)).toBe(200);
    expect(niceStep(23)).toBe(25);
    expect(niceStep(0.3)).toBe(0.5);
    expect(niceStep(0)).toBe(1);
  });
});

describe('linearScale', () => {
  it('maps the domain onto the range', () => {
    const y = linearScale(200, 100);
    expect(y(0)).toBe(0);
    expect(y(100)).toBe(50);
    expect(y(200)).toBe(100);
  });

  it('clamps negatives, overflow and non-numbers', () => {
    const y = linearScale(10, 100);
    expect(y(-3)).toBe(0);
    expect(y(50)).toBe(100);
    expect(y(Number.NaN)).toBe(0);
  });

  it('maps everything to 0 when the maximum is 0', () => {
    expect(linearScale(0, 100)(5)).toBe(0);
  });
});

describe('bandLayout', () => {
  it('splits the width into equal bands with gaps', () => {
    const slots = bandLayout(4, 400, 0.25, 100);
    expect(slots).toHaveLength(4);
    expect(slots[0]).toEqual({ x: 12.5, width: 75 });
    expect(slots[3]?.x).toBe(312.5);
  });

  it('caps a single bar and centres it', () => {
    const [only] = bandLayout(1, 400, 0.25, 48);
    expect(only).toEqual({ x: 176, width: 48 });
  });

  it('returns nothing for no data', () => {
    expect(bandLayout(0, 400)).toEqual([]);
  });
});

describe('maxOf and sparklinePoints', () => {
  it('ignores negatives and non-numbers', () => {
    expect(maxOf([3, -10, Number.NaN, 7])).toBe(7);
    expect(maxOf([])).toBe(0);
  });

  it('draws a flat line for a single point and an empty string for none', () => {
    expect(sparklinePoints([5], 100, 20)).toBe('0,0 100,0');
    expect(sparklinePoints([], 100, 20)).toBe('');
  });

  it('spreads points over the width with the maximum at the top', () => {
    expect(sparklinePoints([0, 10, 5], 100, 20)).toBe('0,20 50,0 100,10');
  });
});

describe('quantile', () => {
  it('interpolates between ranks and ignores non-finite values', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, Number.NaN, 0], 1)).toBe(10);
    expect(quantile([], 0.5)).toBeNull();
  });
});

describe('robustScale (heatmap colours)', () => {
  const grid = (at: (d: number, h: number) => number | null) =>
    Array.from({ length: 7 }, (_, d) => Array.from({ length: 24 }, (_, h) => at(d, h)));

  it('spreads ordinary hours over the whole range even with one very busy hour', () => {
    // 167 hours between 10 and 176, one hour at 100,000.
    const g = grid((d, h) => (d === 2 && h === 18 ? 100_000 : 10 + d * 24 + h));
    const scale = robustScale(g);
    expect(scale.at(100_000)).toBe(1);
    expect(scale.high).toBeLessThan(200);
    // A plain max-scaling would put every ordinary hour under 0.002; here they use the range.
    expect(scale.at(10)).toBe(0);
    expect(scale.at(176)).toBe(1);
    expect(scale.at(93)).toBeGreaterThan(0.4);
    expect(scale.at(93)).toBeLessThan(0.6);
  });

  it('clamps at the 95th and 5th percentiles', () => {
    const values = Array.from({ length: 101 }, (_, i) => i); // 0..100
    const scale = robustScale([values]);
    expect(scale.low).toBe(5);
    expect(scale.high).toBe(95);
    expect(scale.at(0)).toBe(0);
    expect(scale.at(50)).toBe(0.5);
    expect(scale.at(99)).toBe(1);
  });

  it('leaves an all-null grid without a colour, not at 0', () => {
    const scale = robustScale(grid(() => null));
    expect(scale.at(null)).toBeNull();
    expect(scale.at(5)).toBeNull();
    expect(robustScale([]).at(1)).toBeNull();
  });

  it('keeps unknown cells unknown next to known ones', () => {
    const scale = robustScale(grid((d) => (d === 0 ? null : d * 10)));
    expect(scale.at(null)).toBeNull();
    expect(scale.at(undefined)).toBeNull();
    expect(scale.at(60)).toBe(1);
  });

  it('shows a single busy hour at full strength when every other hour is empty or equal', () => {
    const alone = robustScale(grid((d, h) => (d === 4 && h === 20 ? 350 : null)));
    expect(alone.at(350)).toBe(1);
    const flat = robustScale(grid((d, h) => (d === 4 && h === 20 ? 350 : 12)));
    expect(flat.at(350)).toBe(1);
    expect(flat.at(12)).toBe(1);
  });
});

describe('niceRange', () => {
  it('fits round ticks around values far from 0', () => {
    expect(niceRange(1201, 1234)).toEqual([1200, 1210, 1220, 1230, 1240]);
    expect(niceRange(50, 50)).toEqual([49, 50, 51]);
    expect(niceRange(Number.NaN, 3)).toEqual([0, 1]);
  });
});
