import { Card, CardTitle } from '@/components/card';
import { EmptyState } from '@/components/empty-state';
import type { BestTimes } from '@/features/advice/api/advice';
import { basisWords, postsWord, scoreText, slotName } from '@/features/advice/lib/words';
import { cn } from '@/lib/cn';
import { formatHour } from '@/lib/format';

const dayShort = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const hours = Array.from({ length: 24 }, (_, h) => h);

// Score bands as fixed classes (no inline styles under the CSP): a stronger green is a better hour.
const levels = ['bg-emerald-400/10', 'bg-emerald-400/25', 'bg-emerald-400/40', 'bg-emerald-400/60', 'bg-emerald-400/80', 'bg-emerald-300'];

/** scoreLevel maps a score in [0, 1] to one of the colour bands. */
export function scoreLevel(score: number): number {
  const clamped = Math.min(1, Math.max(0, score));
  return Math.min(levels.length - 1, Math.floor(clamped * levels.length));
}

// Cells without information are hatched, so they never read as a weak hour.
const hatched = 'border border-dashed border-white/25 bg-[repeating-linear-gradient(135deg,transparent_0_3px,rgb(255_255_255/0.09)_3px_5px)]';

const hourLabel = (h: number) => formatHour(h).replace(' ', '');

/**
 * BestTimesHeatmap shows a score for every weekday and hour in the viewer's zone. Cells
 * without information are hatched, the top hours outlined in amber and the hour worth a
 * try outlined dashed in sky blue; every cell names its score in its label. On a narrow
 * screen the grid scrolls sideways inside its card.
 */
export function BestTimesHeatmap({ bestTimes, timeZone }: { bestTimes: BestTimes; timeZone: string }) {
  const top = new Map(bestTimes.top.map((t, i) => [`${t.weekday}-${t.hour}`, { ...t, rank: i + 1 }]));
  const explore = bestTimes.explore;
  const isExplore = (d: number, h: number) => explore !== null && explore.weekday === d && explore.hour === h;
  const known = bestTimes.heatmap.some((row) => row.some((v) => v !== null));

  return (
    <Card className="flex min-w-0 flex-col gap-4" data-testid="best-times">
      <div className="flex flex-col gap-1">
        <CardTitle>When to post</CardTitle>
        <p className="text-xs text-slate-300" data-testid="best-times-basis">
          {basisWords(bestTimes.basis)} Hours in {timeZone}.
        </p>
      </div>
      {bestTimes.top.length > 0 && (
        <ol className="flex flex-col gap-1 text-sm text-slate-100" aria-label="Your best hours">
          {bestTimes.top.map((t, i) => (
            <li key={`${t.weekday}-${t.hour}`} className="flex flex-wrap items-baseline gap-x-2">
              <span className="inline-flex size-5 items-center justify-center rounded-full bg-amber-300 text-xs font-bold text-slate-900">{i + 1}</span>
              <span className="font-medium text-white">{slotName(t.weekday, t.hour)}</span>
              <span className="text-xs text-slate-300">
                score {scoreText(t.score)} · {t.posts === 0 ? 'many followers online, no post of yours yet' : `${postsWord(t.posts)} at this hour`}
              </span>
            </li>
          ))}
        </ol>
      )}
      {explore && (
        <p className="text-sm text-slate-100" data-testid="best-times-explore">
          <span className="font-medium text-sky-200">Worth a try:</span> {slotName(explore.weekday, explore.hour)} looks promising, but you have
          posted there less than twice.
        </p>
      )}
      {!known ? (
        <EmptyState title="No hours to compare yet">As you post at different times, the hours that work best light up here.</EmptyState>
      ) : (
        <>
          <div className="relative -mx-1 overflow-x-auto px-1 pb-1" tabIndex={0} role="region" aria-label="Best times grid, scrolls sideways">
            <table className="w-full min-w-[30rem] table-fixed border-separate border-spacing-0.5" data-testid="heatmap">
              <caption className="sr-only">Posting score by weekday and hour, out of 100</caption>
              <thead>
                <tr>
                  <th scope="col" className="w-9">
                    <span className="sr-only">Day</span>
                  </th>
                  {hours.map((h) => (
                    <th key={h} scope="col" className="p-0 text-left text-[10px] font-normal text-slate-300">
                      {h % 3 === 0 ? hourLabel(h) : <span className="sr-only">{hourLabel(h)}</span>}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {dayShort.map((day, d) => (
                  <tr key={day}>
                    <th scope="row" className="pr-1 text-left text-[11px] font-medium text-slate-300">
                      {day}
                    </th>
                    {hours.map((h) => {
                      const score = bestTimes.heatmap[d]?.[h] ?? null;
                      const best = top.get(`${d}-${h}`);
                      const tryIt = isExplore(d, h);
                      let label = `${slotName(d, h)}: ${score === null ? 'no information yet' : `score ${scoreText(score)}`}`;
                      if (best) label += `, best hour number ${best.rank}`;
                      if (tryIt) label += ', worth a try';
                      return (
                        <td
                          key={h}
                          title={label}
                          aria-label={label}
                          data-cell={`${d}-${h}`}
                          data-score={score ?? 'none'}
                          data-top={best ? best.rank : undefined}
                          data-explore={tryIt || undefined}
                          className={cn(
                            'h-6 rounded-sm p-0 text-center align-middle text-[10px] font-bold leading-none',
                            score === null ? hatched : levels[scoreLevel(score)],
                            tryIt ? 'text-sky-100' : score !== null && scoreLevel(score) >= 3 ? 'text-slate-950' : 'text-amber-100',
                            best && 'outline-2 -outline-offset-1 outline-amber-300',
                            tryIt && 'outline-2 -outline-offset-1 outline-dashed outline-sky-300',
                          )}
                        >
                          <span aria-hidden="true">{best ? best.rank : tryIt ? '?' : ''}</span>
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="text-xs text-slate-300 md:hidden">Swipe the grid sideways to see every hour.</p>
          <HeatmapLegend />
        </>
      )}
    </Card>
  );
}

function HeatmapLegend() {
  return (
    <ul className="flex flex-wrap items-center gap-x-4 gap-y-2 text-xs text-slate-300" aria-label="Legend" data-testid="heatmap-legend">
      <li className="flex items-center gap-1.5">
        <span className="flex gap-0.5" aria-hidden="true">
          {levels.map((c) => (
            <span key={c} className={cn('size-3 rounded-sm', c)} />
          ))}
        </span>
        Weaker → stronger hour
      </li>
      <li className="flex items-center gap-1.5">
        <span aria-hidden="true" className={cn('size-3 rounded-sm', hatched)} />
        No information yet
      </li>
      <li className="flex items-center gap-1.5">
        <span aria-hidden="true" className="size-3 rounded-sm bg-emerald-400/60 outline-2 -outline-offset-1 outline-amber-300" />
        Your best hours (numbered)
      </li>
      <li className="flex items-center gap-1.5">
        <span aria-hidden="true" className="size-3 rounded-sm outline-2 -outline-offset-1 outline-dashed outline-sky-300" />
        Worth a try
      </li>
    </ul>
  );
}
