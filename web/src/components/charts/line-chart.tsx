import { niceRange, niceTicks } from '@/lib/chart-scale';
import { formatInteger } from '@/lib/format';
import { useElementWidth } from '@/lib/use-element-width';

/** LinePoint is one reading: `x` a number (a time in ms), `y` null when unknown. */
export interface LinePoint {
  x: number;
  y: number | null;
}

/** LineSeries is one named line of a LineChart. */
export interface LineSeries {
  key: string;
  name: string;
  points: ReadonlyArray<LinePoint>;
  /** Tailwind stroke class for the line ("stroke-sky-400"). */
  strokeClassName: string;
  /** Tailwind fill class for the dots and the legend swatch ("fill-sky-400"). */
  fillClassName: string;
}

/** LineChartProps: a titled set of lines over a numeric x axis. */
export interface LineChartProps {
  title: string;
  series: ReadonlyArray<LineSeries>;
  /** Label of an x value on the axis and in the table ("Nov 3"). */
  formatX: (x: number) => string;
  /** Header of the table's first column ("Date", "Read at"). */
  xHeader: string;
  /** Start the y axis at 0 (counts that grow from nothing) or fit it to the data. */
  zeroBased?: boolean;
  height?: number;
  /** One sentence read by assistive technology; a default is built from the data. */
  summary?: string;
}

const margin = { top: 10, right: 12, bottom: 24, left: 44 };

/** segments splits a line at unknown values, so a gap is drawn as a gap and not as 0. */
function segments(points: ReadonlyArray<LinePoint>): LinePoint[][] {
  const out: LinePoint[][] = [];
  let current: LinePoint[] = [];
  for (const p of points) {
    if (p.y === null || !Number.isFinite(p.y)) {
      if (current.length) out.push(current);
      current = [];
    } else {
      current.push(p);
    }
  }
  if (current.length) out.push(current);
  return out;
}

/** describeLines says where each series starts and ends, for the chart's label. */
export function describeLines(title: string, series: ReadonlyArray<LineSeries>, formatX: (x: number) => string): string {
  const parts = series.map((s) => {
    const known = s.points.filter((p) => p.y !== null);
    const first = known[0];
    const last = known[known.length - 1];
    if (!first || !last) return `${s.name}: no data`;
    if (first === last) return `${s.name} ${formatInteger(first.y)} on ${formatX(first.x)}`;
    return `${s.name} from ${formatInteger(first.y)} on ${formatX(first.x)} to ${formatInteger(last.y)} on ${formatX(last.x)}`;
  });
  return `${title}: ${parts.join('; ')}.`;
}

/**
 * LineChart draws lines in SVG sized to its container, with unknown values left as gaps.
 * The SVG is one labelled image; the numbers are in a visually hidden table.
 */
export function LineChart({ title, series, formatX, xHeader, zeroBased = true, height = 200, summary }: LineChartProps) {
  const { ref, width } = useElementWidth<HTMLDivElement>();
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const ys = series.flatMap((s) => s.points.map((p) => p.y)).filter((y): y is number => y !== null && Number.isFinite(y));
  const maxY = ys.length ? Math.max(...ys) : 0;
  const minY = ys.length ? Math.min(...ys) : 0;
  const ticks = zeroBased ? niceTicks(maxY) : niceRange(minY, maxY);
  const bottom = ticks[0] ?? 0;
  const top = ticks[ticks.length - 1] ?? 1;
  const innerW = Math.max(10, width - margin.left - margin.right);
  const innerH = height - margin.top - margin.bottom;
  const minX = xs[0] ?? 0;
  const maxX = xs[xs.length - 1] ?? 0;
  const px = (x: number) => (maxX === minX ? innerW / 2 : ((x - minX) / (maxX - minX)) * innerW);
  const py = (y: number) => innerH - ((y - bottom) / (top - bottom || 1)) * innerH;
  // About 6 px a character at 10 px type, plus a gap, decides how many x labels fit.
  const labelChars = Math.max(4, ...xs.map((x) => formatX(x).length));
  const labelCount = Math.max(1, Math.min(xs.length, Math.floor(innerW / (labelChars * 6 + 16))));
  const labelled = new Set(
    xs.length <= labelCount ? xs : Array.from({ length: labelCount }, (_, i) => xs[Math.round((i * (xs.length - 1)) / Math.max(1, labelCount - 1))]),
  );
  const showDots = xs.length <= 40;
  const label = summary ?? describeLines(title, series, formatX);
  const tickText = tickFormatter(ticks);

  return (
    <figure className="m-0 flex flex-col gap-2">
      <div ref={ref} className="w-full">
        <svg role="img" aria-label={label} width={width} height={height} viewBox={`0 0 ${width} ${height}`} className="block max-w-full">
          <title>{label}</title>
          <g transform={`translate(${margin.left},${margin.top})`}>
            {ticks.map((tick) => (
              <g key={tick} transform={`translate(0,${py(tick)})`}>
                <line x1={0} x2={innerW} className="stroke-white/10" />
                <text x={-6} dy="0.32em" textAnchor="end" className="fill-slate-300 text-[10px]">
                  {tickText(tick)}
                </text>
              </g>
            ))}
            {[...labelled].map((x) =>
              x === undefined ? null : (
                <text
                  key={x}
                  x={px(x)}
                  y={innerH + 16}
                  // The first and last labels grow inwards so they are not cut at the edges.
                  textAnchor={xs.length > 1 && x === minX ? 'start' : xs.length > 1 && x === maxX ? 'end' : 'middle'}
                  className="fill-slate-300 text-[10px]"
                >
                  {formatX(x)}
                </text>
              ),
            )}
            {series.map((s) => {
              const parts = segments(s.points);
              // Dots on every reading when there are few; else only where a reading stands alone.
              const dots = showDots ? parts.flat() : parts.filter((seg) => seg.length === 1).flat();
              return (
                <g key={s.key} data-series={s.key}>
                  {parts.map((seg, i) =>
                    seg.length > 1 ? (
                      <polyline
                        key={i}
                        points={seg.map((p) => `${round(px(p.x))},${round(py(p.y as number))}`).join(' ')}
                        fill="none"
                        strokeWidth={2}
                        strokeLinejoin="round"
                        strokeLinecap="round"
                        className={s.strokeClassName}
                      />
                    ) : null,
                  )}
                  {dots.map((p) => (
                    <circle key={p.x} cx={round(px(p.x))} cy={round(py(p.y as number))} r={3} className={s.fillClassName} />
                  ))}
                </g>
              );
            })}
          </g>
        </svg>
      </div>
      {series.length > 1 && (
        <ul aria-hidden="true" className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-200">
          {series.map((s) => (
            <li key={s.key} className="flex items-center gap-1.5">
              <svg viewBox="0 0 10 10" className="size-2.5">
                <rect width={10} height={10} rx={2} className={s.fillClassName} />
              </svg>
              {s.name}
            </li>
          ))}
        </ul>
      )}
      {/* A wrapper, since a table ignores the 1px width of sr-only and would widen the page. */}
      <div className="sr-only">
      <table>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{xHeader}</th>
            {series.map((s) => (
              <th key={s.key} scope="col">
                {s.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {xs.map((x) => (
            <tr key={x}>
              <th scope="row">{formatX(x)}</th>
              {series.map((s) => {
                const y = s.points.find((p) => p.x === x)?.y;
                return <td key={s.key}>{y === null || y === undefined ? 'not available' : formatInteger(y)}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </figure>
  );
}

/**
 * tickFormatter picks the shortest labels that still tell the ticks apart: plain
 * integers below 10,000, else compact ("1.2K") with as many decimals as needed.
 */
export function tickFormatter(ticks: ReadonlyArray<number>): (tick: number) => string {
  const top = Math.max(0, ...ticks.map(Math.abs));
  if (top < 10_000) return (tick) => formatInteger(tick);
  for (let digits = 1; digits <= 3; digits++) {
    const f = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: digits });
    if (new Set(ticks.map((t) => f.format(t))).size === ticks.length) return (tick) => f.format(tick);
  }
  return (tick) => formatInteger(tick);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
