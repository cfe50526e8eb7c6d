import { niceStep } from '@/lib/chart-scale';
import { formatCompact, formatInteger } from '@/lib/format';
import { useElementWidth } from '@/lib/use-element-width';

/** HistoryPoint is one observed value; `x` is a time in ms, `y` null when unknown. */
export interface HistoryPoint {
  x: number;
  y: number | null;
}

/** BandPoint is one predicted value with the interval around it. */
export interface BandPoint {
  x: number;
  y: number;
  low: number;
  high: number;
}

/** BandChartProps: observed history, then a prediction with its band. */
export interface BandChartProps {
  title: string;
  history: ReadonlyArray<HistoryPoint>;
  forecast: ReadonlyArray<BandPoint>;
  /** Label of an x value on the axis and in the table ("Dec 2"). */
  formatX: (x: number) => string;
  /** What the values count ("followers"). */
  unit: string;
  /** Name of the band in the legend and table ("80% range"). */
  bandName?: string;
  height?: number;
}

const margin = { top: 10, right: 12, bottom: 24, left: 48 };

/** bandTicks returns round ticks covering [min, max]; an axis of counts need not start at 0. */
export function bandTicks(min: number, max: number, count = 4): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  if (hi === lo) {
    lo -= 1;
    hi += 1;
  }
  const step = Math.max(1, Math.ceil(niceStep((hi - lo) / count)));
  const start = Math.floor(lo / step + 1e-9) * step;
  const end = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = start; v <= end + step / 2; v += step) ticks.push(Number(v.toFixed(10)));
  return ticks;
}

/** describeBand says where the history ends and where the prediction goes, in one sentence. */
export function describeBand(
  title: string,
  history: ReadonlyArray<HistoryPoint>,
  forecast: ReadonlyArray<BandPoint>,
  formatX: (x: number) => string,
  unit: string,
): string {
  const known = history.filter((p): p is { x: number; y: number } => p.y !== null && Number.isFinite(p.y));
  const lastSeen = known[known.length - 1];
  const lastPredicted = forecast[forecast.length - 1];
  const parts: string[] = [];
  if (lastSeen) parts.push(`${formatInteger(lastSeen.y)} ${unit} on ${formatX(lastSeen.x)}`);
  if (lastPredicted) {
    parts.push(
      `expected ${formatInteger(lastPredicted.y)} on ${formatX(lastPredicted.x)}, likely between ${formatInteger(lastPredicted.low)} and ${formatInteger(lastPredicted.high)}`,
    );
  }
  return `${title}: ${parts.length ? parts.join('; ') : 'no data'}.`;
}

const r2 = (n: number) => Math.round(n * 100) / 100;

/**
 * BandChart draws a history line and, after it, a dashed prediction with a shaded band
 * (its interval), in SVG sized to its container. Unknown history values are gaps. The SVG
 * is one labelled image; the numbers are in a visually hidden table.
 */
export function BandChart({ title, history, forecast, formatX, unit, bandName = '80% range', height = 220 }: BandChartProps) {
  const { ref, width } = useElementWidth<HTMLDivElement>();
  const known = history.filter((p): p is { x: number; y: number } => p.y !== null && Number.isFinite(p.y));
  const values = [...known.map((p) => p.y), ...forecast.flatMap((p) => [p.low, p.high, p.y])].filter(Number.isFinite);
  const ticks = values.length ? bandTicks(Math.min(...values), Math.max(...values)) : [0, 1];
  const bottom = ticks[0] ?? 0;
  const top = ticks[ticks.length - 1] ?? 1;
  const xs = [...history.map((p) => p.x), ...forecast.map((p) => p.x)];
  const minX = xs.length ? Math.min(...xs) : 0;
  const maxX = xs.length ? Math.max(...xs) : 0;
  const innerW = Math.max(10, width - margin.left - margin.right);
  const innerH = height - margin.top - margin.bottom;
  const px = (x: number) => r2(maxX === minX ? innerW / 2 : ((x - minX) / (maxX - minX)) * innerW);
  const py = (y: number) => r2(innerH - ((y - bottom) / (top - bottom || 1)) * innerH);

  // History split at unknown values, so a gap stays a gap.
  const segments: Array<Array<{ x: number; y: number }>> = [];
  let current: Array<{ x: number; y: number }> = [];
  for (const p of history) {
    if (p.y === null || !Number.isFinite(p.y)) {
      if (current.length) segments.push(current);
      current = [];
    } else current.push({ x: p.x, y: p.y });
  }
  if (current.length) segments.push(current);

  const lastSeen = known[known.length - 1];
  // The prediction starts from the last observed value so the two lines join.
  const joined = lastSeen ? [{ x: lastSeen.x, y: lastSeen.y, low: lastSeen.y, high: lastSeen.y }, ...forecast] : [...forecast];
  const band = joined.length
    ? [...joined.map((p) => `${px(p.x)},${py(p.high)}`), ...[...joined].reverse().map((p) => `${px(p.x)},${py(p.low)}`)].join(' ')
    : '';
  const labelCount = Math.max(2, Math.floor(innerW / 80));
  const labelXs = xs.length <= 1 ? xs : Array.from({ length: labelCount }, (_, i) => minX + ((maxX - minX) * i) / (labelCount - 1));
  const summary = describeBand(title, history, forecast, formatX, unit);

  return (
    <figure className="relative m-0 flex flex-col gap-2">
      <div ref={ref} className="w-full">
        <svg role="img" aria-label={summary} width={width} height={height} viewBox={`0 0 ${width} ${height}`} className="block max-w-full">
          <title>{summary}</title>
          <g transform={`translate(${margin.left},${margin.top})`}>
            {ticks.map((tick) => (
              <g key={tick} transform={`translate(0,${py(tick)})`}>
                <line x1={0} x2={innerW} className="stroke-white/10" />
                <text x={-6} dy="0.32em" textAnchor="end" className="fill-slate-300 text-[10px]">
                  {formatCompact(tick)}
                </text>
              </g>
            ))}
            {labelXs.map((x, i) => (
              <text
                key={i}
                x={px(x)}
                y={innerH + 16}
                textAnchor={i === 0 ? 'start' : i === labelXs.length - 1 ? 'end' : 'middle'}
                className="fill-slate-300 text-[10px]"
              >
                {formatX(x)}
              </text>
            ))}
            {band && <polygon data-part="band" points={band} className="fill-fuchsia-400/25" />}
            {lastSeen && forecast.length > 0 && (
              <line x1={px(lastSeen.x)} x2={px(lastSeen.x)} y1={0} y2={innerH} strokeDasharray="2 3" className="stroke-white/30" />
            )}
            {segments.map((seg, i) =>
              seg.length > 1 ? (
                <polyline
                  key={i}
                  data-part="history"
                  points={seg.map((p) => `${px(p.x)},${py(p.y)}`).join(' ')}
                  fill="none"
                  strokeWidth={2}
                  strokeLinejoin="round"
                  className="stroke-sky-300"
                />
              ) : (
                <circle key={i} data-part="history" cx={px(seg[0]?.x ?? 0)} cy={py(seg[0]?.y ?? 0)} r={2.5} className="fill-sky-300" />
              ),
            )}
            {joined.length > 1 && (
              <polyline
                data-part="forecast"
                points={joined.map((p) => `${px(p.x)},${py(p.y)}`).join(' ')}
                fill="none"
                strokeWidth={2}
                strokeDasharray="5 4"
                className="stroke-fuchsia-300"
              />
            )}
          </g>
        </svg>
      </div>
      <ul aria-hidden="true" className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-200">
        <li className="flex items-center gap-1.5">
          <svg viewBox="0 0 16 6" className="h-1.5 w-4">
            <line x1={0} x2={16} y1={3} y2={3} strokeWidth={2} className="stroke-sky-300" />
          </svg>
          So far
        </li>
        <li className="flex items-center gap-1.5">
          <svg viewBox="0 0 16 6" className="h-1.5 w-4">
            <line x1={0} x2={16} y1={3} y2={3} strokeWidth={2} strokeDasharray="4 3" className="stroke-fuchsia-300" />
          </svg>
          Expected
        </li>
        <li className="flex items-center gap-1.5">
          <svg viewBox="0 0 10 10" className="size-2.5">
            <rect width={10} height={10} rx={2} className="fill-fuchsia-400/40" />
          </svg>
          {bandName}
        </li>
      </ul>
      {/* A table ignores overflow, so the hidden copy sits in a hidden block instead. */}
      <div className="sr-only">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">{unit}</th>
              <th scope="col">Expected</th>
              <th scope="col">{bandName}</th>
            </tr>
          </thead>
          <tbody>
            {history.map((p) => (
              <tr key={`h${p.x}`}>
                <th scope="row">{formatX(p.x)}</th>
                <td>{p.y === null ? 'not available' : formatInteger(p.y)}</td>
                <td />
                <td />
              </tr>
            ))}
            {forecast.map((p) => (
              <tr key={`f${p.x}`}>
                <th scope="row">{formatX(p.x)}</th>
                <td />
                <td>{formatInteger(p.y)}</td>
                <td>{`${formatInteger(p.low)} to ${formatInteger(p.high)}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
