import { describe, expect, it } from 'vitest';
import { bandLayout, linearScale, maxOf, niceStep, niceTicks, sparklinePoints } from '@/lib/chart-scale';

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
