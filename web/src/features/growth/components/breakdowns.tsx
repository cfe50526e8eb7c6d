import { Card, CardTitle } from '@/components/card';
import { HorizontalBars } from '@/components/charts/horizontal-bars';
import { EmptyState } from '@/components/empty-state';
import { formatDecimal, formatHour, formatInteger, weekdayName } from '@/lib/format';
import type { HashtagStat, MediaTypeStat, PostingTime } from '@/types/api';

const mediaNames: Record<string, string> = { IMAGE: 'Photos', VIDEO: 'Videos', CAROUSEL_ALBUM: 'Carousels', REELS: 'Reels' };

/** mediaTypeName turns IMAGE/VIDEO/CAROUSEL_ALBUM into words. */
export function mediaTypeName(type: string): string {
  return mediaNames[type] ?? type.charAt(0) + type.slice(1).toLowerCase().replace(/_/g, ' ');
}

const posts = (n: number) => `${formatInteger(n)} ${n === 1 ? 'post' : 'posts'}`;

/** MediaTypes compares post formats by average likes. */
export function MediaTypes({ items }: { items: ReadonlyArray<MediaTypeStat> }) {
  return (
    <Card className="flex min-w-0 flex-col gap-4">
      <CardTitle>What works: post formats</CardTitle>
      {items.length === 0 ? (
        <EmptyState title="No posts in this period" />
      ) : (
        <HorizontalBars
          title="Average likes by post format"
          barClassName="fill-fuchsia-400"
          items={items.map((m) => ({
            key: m.media_type,
            label: mediaTypeName(m.media_type),
            value: m.avg_likes,
            valueText: `${formatDecimal(m.avg_likes)} avg likes`,
            detail: `${posts(m.posts)} · ${formatDecimal(m.avg_comments)} avg comments`,
          }))}
        />
      )}
    </Card>
  );
}

/** PostingTimes lists the weekday/hour slots with the best average engagement. */
export function PostingTimes({ items, timeZone }: { items: ReadonlyArray<PostingTime>; timeZone: string }) {
  return (
    <Card className="flex min-w-0 flex-col gap-4">
      <CardTitle>Best times to post</CardTitle>
      {items.length === 0 ? (
        <EmptyState title="Not enough posts yet">Post at least twice in the same hour slot and the best times appear here.</EmptyState>
      ) : (
        <>
          <HorizontalBars
            title="Best posting times by average engagement"
            barClassName="fill-emerald-400"
            items={items.map((t) => ({
              key: `${t.weekday}-${t.hour}`,
              label: `${weekdayName(t.weekday)}, ${formatHour(t.hour)}`,
              value: t.avg_engagement,
              valueText: `${formatDecimal(t.avg_engagement)} avg engagement`,
              detail: posts(t.posts),
            }))}
          />
          <p className="text-xs text-slate-300">Times in {timeZone}. Engagement is likes plus comments per post.</p>
        </>
      )}
    </Card>
  );
}

/** TopHashtags ranks hashtags used at least twice by average engagement. */
export function TopHashtags({ items }: { items: ReadonlyArray<HashtagStat> }) {
  return (
    <Card className="flex min-w-0 flex-col gap-4">
      <CardTitle>Top hashtags</CardTitle>
      {items.length === 0 ? (
        <EmptyState title="No repeated hashtags yet">Hashtags you use at least twice are ranked here.</EmptyState>
      ) : (
        <HorizontalBars
          title="Hashtags by average engagement"
          barClassName="fill-sky-400"
          items={items.map((h) => ({
            key: h.tag,
            label: h.tag,
            value: h.avg_engagement,
            valueText: `${formatDecimal(h.avg_engagement)} avg engagement`,
            detail: posts(h.posts),
          }))}
        />
      )}
    </Card>
  );
}
