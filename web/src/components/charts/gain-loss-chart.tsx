import { bandLayout, maxOf } from '@/lib/chart-scale';
import { formatCompact, formatInteger } from '@/lib/format';
import { useElementWidth } from '@/lib/use-element-width';

/** GainLossDatum is one day's gain (drawn up) and loss (drawn down); null when unknown. */
export interface GainLossDatum {
  label: string;
  gained: number | null;
  lost: number | null;
}

/** GainLossChartProps: a titled series of daily gains and losses. */
export interface GainLossChartProps {
  title: string;
  data: ReadonlyArray<GainLossDatum>;
  gainedName?: string;
  lostName?: string;
  height?: number;
}

const margin = { top: 8, right: 8, bottom: 24, left: 40 };

/** gainLossSummary describes the series in one sentence, summing only known values. */
export function gainLossSummary(title: string, data: ReadonlyArray<GainLossDatum>, gainedName: string, lostName: string): string {
  const gained = data.filter((d) => d.gained !== null);
  const lost = data.filter((d) => d.lost !== null);
  if (gained.length === 0 && lost.length === 0) return `${title}: no data.`;
  const sum = (xs: ReadonlyArray<number | null>) => xs.reduce<number>((a, b) => a + (b ?? 0), 0);
  const parts = [
    gained.length ? `${formatInteger(sum(gained.map((d) => d.gained)))} ${gainedName.toLowerCase()}` : `${gainedName.toLowerCase()} not available`,
    lost.length ? `${formatInteger(sum(lost.map((d) => d.lost)))} ${lostName.toLowerCase()}` : `${lostName.toLowerCase()} not available`,
  ];
  return `${title}: ${parts.join(', ')} over ${data.length} days.`;
}

/**
 * GainLossChart draws each day's gain as a bar above the zero line and its loss as a bar
 * below it, on one scale. An unknown value draws no bar; the table says "not available".
 */
export function GainLossChart({ title, data, gainedName = 'Gained', lostName = 'Lost', height = 160 }: GainLossChartProps) {
  const { ref, width } = useElementWidth<HTMLDivElement>();
  const maxUp = maxOf(data.map((d) => d.gained ?? 0));
  const maxDown = maxOf(data.map((d) => d.lost ?? 0));
  const innerW = Math.max(10, width - margin.left - margin.right);
  const innerH = height - margin.top - margin.bottom;
  const total = maxUp + maxDown;
  const zero = total === 0 ? innerH / 2 : (innerH * maxUp) / total;
  const perUnit = total === 0 ? 0 : innerH / total;
  const slots = bandLayout(data.length, innerW);
  const labelEvery = Math.max(1, Math.ceil(data.length / Math.max(1, Math.floor(innerW / 48))));
  const summary = gainLossSummary(title, data, gainedName, lostName);

  return (
    <figure className="m-0 flex flex-col gap-2">
      <div ref={ref} className="w-full">
        <svg role="img" aria-label={summary} width={width} height={height} viewBox={`0 0 ${width} ${height}`} className="block max-w-full">
          <title>{summary}</title>
          <g transform={`translate(${margin.left},${margin.top})`}>
            <line x1={0} x2={innerW} y1={zero} y2={zero} className="stroke-white/30" />
            {maxUp > 0 && (
              <text x={-6} y={0} dy="0.32em" textAnchor="end" className="fill-slate-300 text-[10px]">
                +{formatCompact(maxUp)}
              </text>
            )}
            {/* The 0 label only where it does not collide with the top or bottom label. */}
            {(maxUp === 0 || zero > 12) && (maxDown === 0 || innerH - zero > 12) && (
              <text x={-6} y={zero} dy="0.32em" textAnchor="end" className="fill-slate-300 text-[10px]">
                0
              </text>
            )}
            {maxDown > 0 && (
              <text x={-6} y={innerH} dy="0.32em" textAnchor="end" className="fill-slate-300 text-[10px]">
                −{formatCompact(maxDown)}
              </text>
            )}
            {data.map((d, i) => {
              const slot = slots[i];
              if (!slot) return null;
              const up = (d.gained ?? 0) * perUnit;
              const down = (d.lost ?? 0) * perUnit;
              return (
                <g key={`${d.label}-${i}`}>
                  {d.gained !== null && <rect data-kind="gained" x={slot.x} y={zero - up} width={slot.width} height={up} className="fill-emerald-400" />}
                  {d.lost !== null && <rect data-kind="lost" x={slot.x} y={zero} width={slot.width} height={down} className="fill-rose-400" />}
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
      <ul aria-hidden="true" className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-200">
        <li className="flex items-center gap-1.5">
          <svg viewBox="0 0 10 10" className="size-2.5">
            <rect width={10} height={10} rx={2} className="fill-emerald-400" />
          </svg>
          {gainedName} (up)
        </li>
        <li className="flex items-center gap-1.5">
          <svg viewBox="0 0 10 10" className="size-2.5">
            <rect width={10} height={10} rx={2} className="fill-rose-400" />
          </svg>
          {lostName} (down)
        </li>
      </ul>
      {/* A wrapper, since a table ignores the 1px width of sr-only and would widen the page. */}
      <div className="sr-only">
      <table>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">{gainedName}</th>
            <th scope="col">{lostName}</th>
          </tr>
        </thead>
        <tbody>
          {data.map((d, i) => (
            <tr key={`${d.label}-${i}`}>
              <th scope="row">{d.label}</th>
              <td>{d.gained === null ? 'not available' : formatInteger(d.gained)}</td>
              <td>{d.lost === null ? 'not available' : formatInteger(d.lost)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </figure>
  );
}
