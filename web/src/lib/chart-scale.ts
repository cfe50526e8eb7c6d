/** niceStep picks 1, 2, 2.5 or 5 times a power of ten close to `raw`. */
export function niceStep(raw: number): number {
  if (!Number.isFinite(raw) || raw <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/**
 * niceTicks returns evenly spaced round tick values from 0 up to at least `max`, about
 * `count` intervals. A max of 0 (or less, or not a number) gives [0, 1] so an empty
 * chart still has an axis. Integer data never gets fractional ticks.
 */
export function niceTicks(max: number, count = 4, integers = true): number[] {
  const top = Number.isFinite(max) && max > 0 ? max : 0;
  if (top === 0) return [0, 1];
  let step = niceStep(top / Math.max(1, count));
  if (integers) step = Math.max(1, Math.ceil(step));
  const ticks: number[] = [];
  const last = Math.ceil(top / step - 1e-9) * step;
  for (let v = 0; v <= last + step / 2; v += step) ticks.push(Number(v.toFixed(10)));
  return ticks;
}

/** linearScale maps [0, domainMax] onto [0, rangeMax], clamping negatives and overflow. */
export function linearScale(domainMax: number, rangeMax: number): (value: number) => number {
  if (!Number.isFinite(domainMax) || domainMax <= 0) return () => 0;
  return (value) => {
    if (!Number.isFinite(value) || value <= 0) return 0;
    return Math.min(rangeMax, (value / domainMax) * rangeMax);
  };
}

/** BarSlot is where one bar sits along the category axis. */
export interface BarSlot {
  x: number;
  width: number;
}

/**
 * bandLayout splits `width` into `n` equal bands with a gap ratio between bars; a single
 * bar is capped so it does not fill the whole chart.
 */
export function bandLayout(n: number, width: number, gapRatio = 0.25, maxBar = 48): BarSlot[] {
  if (n <= 0 || width <= 0) return [];
  const band = width / n;
  const barWidth = Math.max(1, Math.min(maxBar, band * (1 - gapRatio)));
  return Array.from({ length: n }, (_, i) => ({ x: i * band + (band - barWidth) / 2, width: barWidth }));
}

/** maxOf returns the largest finite, non-negative value, or 0. */
export function maxOf(values: ReadonlyArray<number>): number {
  let max = 0;
  for (const v of values) if (Number.isFinite(v) && v > max) max = v;
  return max;
}

/** sparklinePoints turns values into an SVG polyline `points` string inside width×height. */
export function sparklinePoints(values: ReadonlyArray<number>, width: number, height: number): string {
  if (values.length === 0) return '';
  const y = linearScale(maxOf(values), height);
  if (values.length === 1) {
    const py = height - y(values[0] ?? 0);
    return `0,${py} ${width},${py}`;
  }
  const stepX = width / (values.length - 1);
  return values.map((v, i) => `${round(i * stepX)},${round(height - y(v))}`).join(' ');
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * quantile returns the q-quantile (0 ≤ q ≤ 1) of the finite values by linear
 * interpolation between the closest ranks, or null when there is none.
 */
export function quantile(values: ReadonlyArray<number>, q: number): number | null {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const pos = Math.min(1, Math.max(0, q)) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

/** IntensityScale maps a value to [0, 1] between `low` and `high`; null stays null. */
export interface IntensityScale {
  low: number;
  high: number;
  at: (value: number | null | undefined) => number | null;
}

/**
 * robustScale builds a colour scale for a grid of values that one extreme cell cannot
 * flatten: values at or below the `lowQ` quantile map to 0, at or above the `highQ`
 * quantile to 1, linearly between. When every value is the same, each maps to 1. A grid
 * without any value gives a scale whose every cell is null.
 */
export function robustScale(
  grid: ReadonlyArray<ReadonlyArray<number | null>>,
  lowQ = 0.05,
  highQ = 0.95,
): IntensityScale {
  const values: number[] = [];
  for (const row of grid) for (const v of row) if (typeof v === 'number' && Number.isFinite(v)) values.push(v);
  const low = quantile(values, lowQ);
  const high = quantile(values, highQ);
  if (low === null || high === null) return { low: 0, high: 0, at: () => null };
  const span = high - low;
  return {
    low,
    high,
    at: (value) => {
      if (typeof value !== 'number' || !Number.isFinite(value)) return null;
      if (span <= 0) return value >= high ? 1 : 0;
      return Math.min(1, Math.max(0, (value - low) / span));
    },
  };
}

/**
 * niceRange returns round ticks covering [min, max] for an axis that need not start at 0
 * (a follower count moving between 1,201 and 1,234). Equal ends get one step around them.
 */
export function niceRange(min: number, max: number, count = 4, integers = true): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  if (hi === lo) {
    lo -= 1;
    hi += 1;
  }
  let step = niceStep((hi - lo) / Math.max(1, count));
  if (integers) step = Math.max(1, Math.ceil(step));
  const start = Math.floor(lo / step + 1e-9) * step;
  const end = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = start; v <= end + step / 2; v += step) ticks.push(Number(v.toFixed(10)));
  return ticks;
}
