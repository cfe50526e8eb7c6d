import { linearScale, maxOf } from '@/lib/chart-scale';

/** HorizontalBarItem is one labelled row with its value and its visible value text. */
export interface HorizontalBarItem {
  key: string;
  label: string;
  value: number;
  valueText: string;
  detail?: string;
}

/**
 * HorizontalBars lists items with proportional bars. The numbers are printed as text, so
 * the bars are decorative; the list is what assistive technology reads.
 */
export function HorizontalBars({
  title,
  items,
  barClassName = 'fill-indigo-400',
}: {
  title: string;
  items: ReadonlyArray<HorizontalBarItem>;
  barClassName?: string;
}) {
  const x = linearScale(maxOf(items.map((i) => i.value)), 100);
  return (
    <ul aria-label={title} className="flex flex-col gap-3">
      {items.map((item) => (
        <li key={item.key} className="flex flex-col gap-1">
          <div className="flex items-baseline justify-between gap-3 text-sm">
            <span className="min-w-0 truncate font-medium text-white">{item.label}</span>
            <span className="shrink-0 tabular-nums text-slate-200">{item.valueText}</span>
          </div>
          <svg aria-hidden="true" viewBox="0 0 100 6" preserveAspectRatio="none" className="h-2 w-full">
            <rect x={0} y={0} width={100} height={6} rx={3} className="fill-white/10" />
            <rect x={0} y={0} width={Math.max(x(item.value), item.value > 0 ? 1 : 0)} height={6} rx={3} className={barClassName} />
          </svg>
          {item.detail && <span className="text-xs text-slate-300">{item.detail}</span>}
        </li>
      ))}
    </ul>
  );
}
