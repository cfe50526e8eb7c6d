import { robustScale } from '@/lib/chart-scale';
import { formatDecimal, formatInteger } from '@/lib/format';
import { useElementWidth } from '@/lib/use-element-width';

/** HeatmapProps: a grid of rows × columns of values (null = no sample). */
export interface HeatmapProps {
  title: string;
  grid: ReadonlyArray<ReadonlyArray<number | null>>;
  rowLabels: ReadonlyArray<string>;
  /** Short label of a column on the axis ("6p"). */
  columnLabel: (column: number) => string;
  /** Full name of a cell for the table and tooltips ("Tuesday, 6 pm"). */
  cellName: (row: number, column: number) => string;
  /** What a value counts ("followers online"). */
  unit: string;
}

const labelW = 34;
const headerH = 16;
const gap = 2;

/** cellOpacity turns a scaled intensity into a fill opacity that stays visible at 0. */
export function cellOpacity(t: number): number {
  return Math.round((0.12 + 0.88 * t) * 1000) / 1000;
}

/**
 * Heatmap draws a grid of cells whose colour strength follows the value, scaled robustly
 * (between the 5th and 95th percentile) so one very busy cell does not wash out the rest.
 * Cells without a sample are outlined only. The values are in a visually hidden table.
 */
export function Heatmap({ title, grid, rowLabels, columnLabel, cellName, unit }: HeatmapProps) {
  const { ref, width } = useElementWidth<HTMLDivElement>();
  const columns = Math.max(0, ...grid.map((row) => row.length));
  const scale = robustScale(grid);
  const cellW = Math.max(6, (width - labelW) / Math.max(1, columns) - gap);
  const cellH = Math.min(28, Math.max(14, cellW));
  const height = headerH + grid.length * (cellH + gap);
  const labelEvery = cellW < 14 ? 6 : 3;
  const summary = `${title}: the darkest colour means ${formatInteger(scale.high)} or more ${unit}; every value is in the table below.`;

  return (
    <figure className="m-0 flex flex-col gap-3">
      <div ref={ref} className="w-full">
        <svg role="img" aria-label={summary} width={width} height={height} viewBox={`0 0 ${width} ${height}`} className="block max-w-full">
          <title>{summary}</title>
          {Array.from({ length: columns }, (_, c) =>
            c % labelEvery === 0 ? (
              <text key={c} x={labelW + c * (cellW + gap)} y={10} className="fill-slate-300 text-[10px]">
                {columnLabel(c)}
              </text>
            ) : null,
          )}
          {grid.map((row, r) => (
            <g key={r} transform={`translate(0,${headerH + r * (cellH + gap)})`}>
              <text x={0} y={cellH / 2} dy="0.32em" className="fill-slate-300 text-[10px]">
                {rowLabels[r]}
              </text>
              {row.map((value, c) => {
                const t = scale.at(value);
                const x = labelW + c * (cellW + gap);
                return t === null ? (
                  <rect key={c} data-cell={`${r}-${c}`} x={x + 0.5} y={0.5} width={cellW - 1} height={cellH - 1} rx={2} fill="none" strokeDasharray="2 2" className="stroke-white/20" />
                ) : (
                  <rect key={c} data-cell={`${r}-${c}`} x={x} y={0} width={cellW} height={cellH} rx={2} fillOpacity={cellOpacity(t)} className="fill-fuchsia-400">
                    <title>{`${cellName(r, c)}: ${formatDecimal(value)} ${unit}`}</title>
                  </rect>
                );
              })}
            </g>
          ))}
        </svg>
      </div>
      <div aria-hidden="true" className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-300">
        <span className="flex items-center gap-2">
          Fewer
          <svg viewBox="0 0 50 10" className="h-2.5 w-20">
            {[0, 0.25, 0.5, 0.75, 1].map((t, i) => (
              <rect key={t} x={i * 10} y={0} width={9} height={10} rx={1.5} fillOpacity={cellOpacity(t)} className="fill-fuchsia-400" />
            ))}
          </svg>
          More
        </span>
        <span>Darkest: {formatInteger(scale.high)} or more {unit}</span>
        <span className="flex items-center gap-1.5">
          <svg viewBox="0 0 10 10" className="size-2.5">
            <rect x={0.5} y={0.5} width={9} height={9} rx={1.5} fill="none" strokeDasharray="2 2" className="stroke-white/40" />
          </svg>
          No data
        </span>
      </div>
      {/* A wrapper, since a table ignores the 1px width of sr-only and would widen the page. */}
      <div className="sr-only">
      <table>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            {Array.from({ length: columns }, (_, c) => (
              <th key={c} scope="col">
                {columnLabel(c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {grid.map((row, r) => (
            <tr key={r}>
              <th scope="row">{rowLabels[r]}</th>
              {row.map((value, c) => (
                <td key={c}>{value === null ? 'no data' : formatDecimal(value)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </figure>
  );
}
