import { bandLayout, linearScale, maxOf, niceTicks } from '@/lib/chart-scale';
import { formatCompact, formatInteger } from '@/lib/format';
import { useElementWidth } from '@/lib/use-element-width';

/** BarDatum is one category and its value. */
export interface BarDatum {
  /** Short label on the axis ("Oct 27"). */
  label: string;
  value: number;
}

/** BarChartProps: a titled series of non-negative values. */
export interface BarChartProps {
  title: string;
  data: ReadonlyArray<BarDatum>;
  /** Unit name for the accessible summary and table header ("likes"). */
  unit: string;
  /** Tailwind fill class for the bars. */
  barClassName?: string;
  height?: number;
}

const margin = { top: 8, right: 8, bottom: 24, left: 40 };

/**
 * BarChart draws vertical bars in SVG sized to its container. The SVG is one image with a
 * summary label; the numbers are also in a visually hidden table for screen readers.
 */
export function BarChart({ title, data, unit, barClassName = 'fill-fuchsia-400', height = 180 }: BarChartProps) {
  const { ref, width } = useElementWidth<HTMLDivElement>();
  const values = data.map((d) => d.value);
  const ticks = niceTicks(maxOf(values));
  const top = ticks[ticks.length - 1] ?? 1;
  const innerW = Math.max(10, width - margin.left - margin.right);
  const innerH = height - margin.top - margin.bottom;
  const y = linearScale(top, innerH);
  const slots = bandLayout(data.length, innerW);
  const labelEvery = Math.max(1, Math.ceil(data.length / Math.max(1, Math.floor(innerW / 48))));
  const summary = summarise(title, data, unit);

  return (
    <figure className="m-0">
      <div ref={ref} className="w-full">
        <svg role="img" aria-label={summary} width={width} height={height} viewBox={`0 0 ${width} ${height}`} className="block max-w-full">
          <title>{summary}</title>
          <g transform={`translate(${margin.left},${margin.top})`}>
            {ticks.map((tick) => (
              <g key={tick} transform={`translate(0,${innerH - y(tick)})`}>
                <line x1={0} x2={innerW} className="stroke-white/10" />
                <text x={-6} dy="0.32em" textAnchor="end" className="fill-slate-300 text-[10px]">
                  {formatCompact(tick)}
                </text>
              </g>
            ))}
            {data.map((d, i) => {
              const slot = slots[i];
              if (!slot) return null;
              const h = y(d.value);
              return (
                <g key={`${d.label}-${i}`}>
                  <rect x={slot.x} y={innerH - h} width={slot.width} height={h} rx={Math.min(3, slot.width / 2)} className={barClassName} />
                  {i % labelEvery === 0 && (
                    <text x={slot.x + slot.width / 2} y={innerH + 16} textAnchor="middle" className="fill-slate-300 text-[10px]">
                      {d.label}
                    </text>
                  )}
                </g>
              );
            })}
          </g>
        </svg>
      </div>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">{unit}</th>
          </tr>
        </thead>
        <tbody>
          {data.map((d, i) => (
            <tr key={`${d.label}-${i}`}>
              <th scope="row">{d.label}</th>
              <td>{formatInteger(d.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** summarise describes a series in one sentence for assistive technology. */
export function summarise(title: string, data: ReadonlyArray<BarDatum>, unit: string): string {
  if (data.length === 0) return `${title}: no data.`;
  const total = data.reduce((sum, d) => sum + (Number.isFinite(d.value) ? d.value : 0), 0);
  let best = data[0] as BarDatum;
  for (const d of data) if (d.value > best.value) best = d;
  return `${title}: ${formatInteger(total)} ${unit} over ${data.length} days, highest ${formatInteger(best.value)} on ${best.label}.`;
}
