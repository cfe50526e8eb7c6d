import { Card, CardTitle } from '@/components/card';
import { Heatmap } from '@/components/charts/heatmap';
import { EmptyState } from '@/components/empty-state';
import { busiestSlots, shortHour } from '@/features/audience/lib/audience-format';
import { PartUnavailable } from '@/features/audience/components/part-status';
import { formatHour, formatInteger, weekdayName } from '@/lib/format';
import type { OnlineFollowers } from '@/types/api';

const shortDays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** OnlineHeatmap shows when the followers are online, by weekday and hour in the viewer's zone. */
export function OnlineHeatmap({ online, followers, timeZone }: { online: OnlineFollowers; followers: number | null; timeZone: string }) {
  let body;
  if (online.status !== 'ok') {
    body = <PartUnavailable status={online.status} followers={followers} what="when your followers are online" />;
  } else {
    const top = busiestSlots(online.heatmap);
    body =
      top.length === 0 ? (
        <EmptyState title="No hours reported yet">Instagram sent this reading without any hours; the next one should fill it in.</EmptyState>
      ) : (
        <>
          <p className="text-sm text-slate-200" data-testid="online-busiest">
            Most followers online:{' '}
            {top.map((s, i) => (
              <span key={`${s.weekday}-${s.hour}`}>
                {i > 0 && ', '}
                <strong className="font-semibold text-white">
                  {weekdayName(s.weekday)} {formatHour(s.hour)}
                </strong>{' '}
                (about {formatInteger(Math.round(s.value))})
              </span>
            ))}
            .
          </p>
          <Heatmap
            title="Followers online by weekday and hour"
            grid={online.heatmap}
            rowLabels={shortDays}
            columnLabel={shortHour}
            cellName={(r, c) => `${weekdayName(r)} ${formatHour(c)}`}
            unit="followers online"
          />
        </>
      );
  }
  return (
    <Card className="flex min-w-0 flex-col gap-4" data-testid="audience-online">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <CardTitle>When your followers are online</CardTitle>
        <span className="text-xs text-slate-300">Times in your zone ({timeZone})</span>
      </div>
      {body}
    </Card>
  );
}
