import { Card, CardTitle } from '@/components/card';
import { GainLossChart } from '@/components/charts/gain-loss-chart';
import { LineChart } from '@/components/charts/line-chart';
import { EmptyState } from '@/components/empty-state';
import { dayMs, formatDayMs } from '@/features/audience/lib/audience-format';
import { MIN_FOLLOWERS } from '@/features/audience/components/part-status';
import { formatDay, formatInteger, formatSigned } from '@/lib/format';
import type { Audience } from '@/types/api';

function Figure({ id, label, value, tone }: { id: string; label: string; value: string | null; tone?: string }) {
  return (
    <div className="flex min-w-0 flex-col" data-testid={`audience-${id}`}>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-300">{label}</dt>
      <dd className={value === null ? 'text-sm font-semibold text-slate-100' : `text-2xl font-bold tabular-nums ${tone ?? 'text-white'}`} data-testid={`audience-${id}-value`}>
        {value ?? 'Not available yet'}
      </dd>
    </div>
  );
}

/** FollowerGrowth shows the period's net growth, the follower count over time and the daily gains and losses. */
export function FollowerGrowth({ audience }: { audience: Audience }) {
  const { daily } = audience;
  const counts = daily.filter((d) => d.followers !== null);
  const only = counts.length === 1 ? counts[0] : undefined;
  const hasFlows = daily.some((d) => d.gained !== null || d.lost !== null);
  const net = audience.net_followers;
  const under = audience.followers !== null && audience.followers < MIN_FOLLOWERS;
  return (
    <Card className="flex min-w-0 flex-col gap-4" data-testid="audience-growth">
      <CardTitle>Follower growth</CardTitle>
      <dl className="grid grid-cols-3 gap-3">
        <Figure
          id="net"
          label={`Net, ${audience.period_days} days`}
          value={net === null ? null : formatSigned(net)}
          tone={net === null || net === 0 ? undefined : net > 0 ? 'text-emerald-300' : 'text-rose-300'}
        />
        <Figure id="gained" label="Gained" value={audience.followers_gained === null ? null : formatInteger(audience.followers_gained)} />
        <Figure id="lost" label="Lost" value={audience.followers_lost === null ? null : formatInteger(audience.followers_lost)} />
      </dl>
      {(audience.followers_gained === null || audience.followers_lost === null) && (
        <p className="text-xs text-slate-300" data-testid="audience-flows-note">
          {under
            ? `Instagram counts new and lost followers from ${MIN_FOLLOWERS} followers on.`
            : 'Instagram has not reported new or lost followers for this period yet.'}
        </p>
      )}
      {daily.length === 0 ? (
        <EmptyState title="No follower history yet">
          Your follower count is recorded at every sync, so the curve starts with the next one.
        </EmptyState>
      ) : (
        <>
          {only && (
            <p className="text-sm text-slate-200" data-testid="audience-one-count">
              One follower count so far: {formatInteger(only.followers)} on {formatDay(only.date)}. The curve starts once the next day is counted.
            </p>
          )}
          {counts.length > 1 && (
            <LineChart
              title="Followers over time"
              xHeader="Date"
              zeroBased={false}
              formatX={formatDayMs}
              height={180}
              series={[
                { key: 'followers', name: 'Followers', points: daily.map((d) => ({ x: dayMs(d.date), y: d.followers })), strokeClassName: 'stroke-fuchsia-400', fillClassName: 'fill-fuchsia-400' },
              ]}
            />
          )}
          {hasFlows && (
            <GainLossChart title="Followers gained and lost per day" data={daily.map((d) => ({ label: formatDay(d.date), gained: d.gained, lost: d.lost }))} />
          )}
          <p className="text-xs text-slate-400">Days follow Instagram&apos;s own day, which starts at midnight US Pacific time.</p>
        </>
      )}
    </Card>
  );
}
