import { useState } from 'react';
import { Card, CardTitle } from '@/components/card';
import { HorizontalBars } from '@/components/charts/horizontal-bars';
import { SegmentedControl } from '@/components/segmented-control';
import { countryName, genderName } from '@/features/audience/lib/audience-format';
import { PartUnavailable } from '@/features/audience/components/part-status';
import { formatInteger } from '@/lib/format';
import type { DemographicRow, Demographics } from '@/types/api';

type Who = 'followers' | 'engaged';

const whoOptions = [
  { value: 'followers' as const, label: 'Followers' },
  { value: 'engaged' as const, label: 'Engaged audience' },
];

/** ageOrder sorts age ranges from young to old ("13-17" before "65+"), unknown keys last. */
function ageOrder(a: DemographicRow, b: DemographicRow): number {
  const n = (k: string) => {
    const m = /^(\d+)/.exec(k);
    return m ? Number(m[1]) : Number.POSITIVE_INFINITY;
  };
  return n(a.key) - n(b.key) || a.key.localeCompare(b.key);
}

/** shareText is a row's count with its share of the listed rows ("420 · 34%"). */
export function shareText(value: number, total: number): string {
  const share = total > 0 ? Math.round((value / total) * 100) : 0;
  return `${formatInteger(value)} · ${share}%`;
}

function Breakdown({
  id,
  title,
  rows,
  label,
  emptyText,
  note,
  top,
}: {
  id: string;
  title: string;
  rows: ReadonlyArray<DemographicRow>;
  label: (key: string) => string;
  emptyText: string;
  note?: string;
  /** Show only the first `top` rows; shares stay of all listed rows. */
  top?: number;
}) {
  const total = rows.reduce((sum, r) => sum + r.value, 0);
  const shown = top === undefined ? rows : rows.slice(0, top);
  return (
    <div className="flex min-w-0 flex-col gap-3 rounded-xl bg-white/5 p-4" data-testid={`demographics-${id}`}>
      <h3 className="text-sm font-semibold text-white">{title}</h3>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-300">{emptyText}</p>
      ) : (
        <HorizontalBars
          title={title}
          barClassName="fill-indigo-400"
          items={shown.map((r) => ({ key: r.key, label: label(r.key), value: r.value, valueText: shareText(r.value, total) }))}
        />
      )}
      {note && rows.length > 0 && <p className="text-xs text-slate-400">{note}</p>}
    </div>
  );
}

/** DemographicsCard shows age, gender, top countries and top cities of the followers or the engaged audience. */
export function DemographicsCard({ demographics, followers }: { demographics: Demographics; followers: number | null }) {
  const [who, setWho] = useState<Who>('followers');
  let body;
  if (demographics.status !== 'ok') {
    body = <PartUnavailable status={demographics.status} followers={followers} what="who your followers are" />;
  } else {
    const set = demographics[who];
    const emptyText = who === 'engaged' ? 'Not enough engaged accounts for Instagram to say yet.' : 'Instagram sent nothing for this yet.';
    const places = 'Shares are of the places Instagram lists (its top 45).';
    body = (
      <>
        <SegmentedControl label="Whose demographics" options={whoOptions} value={who} onChange={setWho} />
        <p className="text-xs text-slate-300">
          {who === 'followers' ? 'Everyone who follows you.' : 'Accounts that liked, commented, saved or shared your posts.'}
          {demographics.timeframe === 'this_week' ? ' Over this week.' : ' Over this month.'}
        </p>
        <div className="grid gap-3 md:grid-cols-2">
          <Breakdown id="age" title="Age" rows={[...set.age].sort(ageOrder)} label={(k) => k} emptyText={emptyText} />
          <Breakdown id="gender" title="Gender" rows={set.gender} label={genderName} emptyText={emptyText} />
          <Breakdown id="country" title="Top countries" rows={set.country} top={5} label={countryName} emptyText={emptyText} note={places} />
          <Breakdown id="city" title="Top cities" rows={set.city} top={5} label={(k) => k} emptyText={emptyText} note={places} />
        </div>
      </>
    );
  }
  return (
    <Card className="flex min-w-0 flex-col gap-4" data-testid="audience-demographics">
      <CardTitle>Who your audience is</CardTitle>
      {body}
    </Card>
  );
}
