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
