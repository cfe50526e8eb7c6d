import type { BestTimes, Confidence, OutlierPost, Recommendation } from '@/features/advice/api/advice';
import { formatHour, formatInteger, weekdayName } from '@/lib/format';

const confidenceLabels: Record<Confidence, string> = {
  high: 'High confidence',
  medium: 'Medium confidence',
  low: 'Low confidence',
};

/** confidenceLabel names a confidence grade in plain words. */
export function confidenceLabel(confidence: string): string {
  return confidenceLabels[confidence as Confidence] ?? 'Confidence unknown';
}

const confidenceHints: Record<Confidence, string> = {
  high: 'Many posts on both sides and a clear difference.',
  medium: 'Enough posts to trust it, but worth watching.',
  low: 'A first sign from few posts: try it and see.',
};

/** confidenceHint says what a confidence grade means. */
export function confidenceHint(confidence: string): string {
  return confidenceHints[confidence as Confidence] ?? '';
}

const plural = (n: number, one: string, many: string) => `${formatInteger(n)} ${n === 1 ? one : many}`;

/**
 * sampleWords says what a recommendation is based on: "Based on 14 Reels and 38 other
 * posts". The nouns come from the detail's closing "(14 Reels vs 38 other posts)" when it
 * names the same counts; otherwise the words are generic.
 */
export function sampleWords(rec: Pick<Recommendation, 'detail' | 'sample'>): string {
  const { n, baseline_n: base } = rec.sample;
  const match = /\(([\d,]+) ([^()]+?) vs ([\d,]+) ([^()]+?)\)\.?\s*$/.exec(rec.detail);
  if (match) {
    const [, groupCount, groupNoun, baseCount, baseNoun] = match;
    if (Number(groupCount?.replace(/,/g, '')) === n && Number(baseCount?.replace(/,/g, '')) === base) {
      return `Based on ${formatInteger(n)} ${groupNoun} and ${formatInteger(base)} ${baseNoun}`;
    }
  }
  return `Based on ${plural(n, 'post', 'posts')} compared with ${plural(base, 'other post', 'other posts')}`;
}

const metricWords: Record<string, string> = {
  reach: 'people reached',
  engagement: 'likes, comments, saves and shares',
  views: 'views',
  shares_per_reach: 'shares per person reached',
};

/** metricName says what a recommendation compares. */
export function metricName(metric: string): string {
  return metricWords[metric] ?? metric.replace(/_/g, ' ');
}

/** effectText writes an effect as "2.3× more" or "40% fewer". */
export function effectText(effect: number): string {
  if (!Number.isFinite(effect) || effect <= 0) return '';
  if (effect >= 1) return `${(Math.round(effect * 10) / 10).toFixed(1)}× more`;
  return `${Math.round((1 - effect) * 100)}% fewer`;
}

/** strongestFirst orders recommendations by the size of their effect, either way; ties keep their order. */
export function strongestFirst<T extends { effect: number }>(items: ReadonlyArray<T>): T[] {
  const strength = (e: number) => (e > 0 && Number.isFinite(e) ? Math.abs(Math.log(e)) : 0);
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => strength(b.item.effect) - strength(a.item.effect) || a.i - b.i)
    .map(({ item }) => item);
}

const bases: Record<BestTimes['basis'], string> = {
  performance: 'Based on how your own posts did at each hour.',
  online_followers: 'Based on when your followers are online.',
  both: 'Based on how your posts did at each hour and when your followers are online.',
};

/** basisWords says what the best times are computed from. */
export function basisWords(basis: string): string {
  return bases[basis as BestTimes['basis']] ?? 'Based on your posts and your audience.';
}

/** slotName names a weekday and hour: "Tuesday, 6 pm". */
export function slotName(weekday: number, hour: number): string {
  return `${weekdayName(weekday)}, ${formatHour(hour)}`;
}

/** scoreText writes a score in [0, 1] out of 100: "82/100". */
export function scoreText(score: number): string {
  return `${Math.round(score * 100)}/100`;
}

/**
 * engagementOf is the contract's engagement of a post: likes + comments, plus saves and
 * shares where insights report them; null when the likes are hidden.
 */
export function engagementOf(post: OutlierPost): number | null {
  if (post.like_count === null || post.like_count === undefined) return null;
  return post.like_count + post.comments_count + (post.insights?.saved ?? 0) + (post.insights?.shares ?? 0);
}

/** postsWord writes "1 post" or "6 posts". */
export function postsWord(n: number): string {
  return plural(n, 'post', 'posts');
}

/** postDate writes when a post went up, in the viewer's zone: "Nov 24". */
export function postDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleDateString('en-US', { month: 'short', day: 'numeric' });
}
