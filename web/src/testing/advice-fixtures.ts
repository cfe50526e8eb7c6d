import type { BestTimes, Forecast, Goal, Recommendation, Recommendations } from '@/types/api';
import { post } from '@/testing/fixtures';

/** rec is one recommendation as the server words it. */
export function rec(overrides: Partial<Recommendation> = {}): Recommendation {
  return {
    kind: 'format',
    title: 'Reels reach 2.3× more people than your other posts',
    detail: 'Reels reached a median of 2,300 people vs 1,000 for your other posts (14 Reels vs 38 other posts).',
    metric: 'reach',
    effect: 2.3,
    sample: { n: 14, baseline_n: 38 },
    confidence: 'medium',
    ...overrides,
  };
}

/** emptyGrid is a 7 × 24 grid of one value. */
export function emptyGrid(value: number | null = null): Array<Array<number | null>> {
  return Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => value));
}

/** bestTimes has scores on Tuesday evening and Thursday noon, nulls elsewhere. */
export function bestTimes(overrides: Partial<BestTimes> = {}): BestTimes {
  const heatmap = emptyGrid();
  for (let h = 8; h < 22; h++) for (const d of [1, 2, 3, 4, 5]) (heatmap[d] as Array<number | null>)[h] = 0.3;
  (heatmap[2] as Array<number | null>)[18] = 0.82;
  (heatmap[2] as Array<number | null>)[19] = 0.7;
  (heatmap[5] as Array<number | null>)[12] = 0.64;
  (heatmap[4] as Array<number | null>)[12] = 0.55;
  return {
    basis: 'both',
    heatmap,
    top: [
      { weekday: 2, hour: 18, score: 0.82, posts: 6 },
      { weekday: 2, hour: 19, score: 0.7, posts: 4 },
      { weekday: 5, hour: 12, score: 0.64, posts: 3 },
    ],
    explore: { weekday: 4, hour: 12 },
    ...overrides,
  };
}

/** recommendations is an ok answer with two suggestions, weaker first, and outliers. */
export function recommendations(overrides: Partial<Recommendations> = {}): Recommendations {
  return {
    status: 'ok',
    posts_considered: 52,
    recommendations: [
      rec({
        kind: 'caption',
        title: 'Posts with captions over 125 characters get 40% fewer likes, comments, saves and shares than shorter ones',
        detail: 'Posts with long captions got a median of 120 likes, comments, saves and shares vs 200 for shorter ones (9 posts vs 43 posts).',
        metric: 'engagement',
        effect: 0.6,
        sample: { n: 9, baseline_n: 43 },
        confidence: 'low',
      }),
      rec(),
    ],
    best_times: bestTimes(),
    outliers: {
      median_engagement: 212,
      winners: [post(7, { caption: 'Sunset reel #travel', like_count: 480, comments_count: 40, insights: null })],
      laggards: [post(9, { caption: 'Blurry morning', like_count: 60, comments_count: 2, insights: null })],
    },
    ...overrides,
  };
}

/** insufficientRecommendations is the answer for 6 considered posts. */
export function insufficientRecommendations(): Recommendations {
  return recommendations({
    status: 'insufficient_data',
    posts_considered: 6,
    recommendations: [],
    best_times: bestTimes({ basis: 'performance', top: [{ weekday: 6, hour: 10, score: 0.6, posts: 2 }], explore: null }),
    outliers: { median_engagement: 150, winners: [], laggards: [] },
  });
}

/** forecast is an ok forecast of `horizon` days from Dec 2, 2026, growing 2 a day. */
export function forecast(horizon = 30): Forecast {
  return {
    metric: 'followers',
    method: 'damped_holt',
    status: 'ok',
    history_days: 62,
    points: Array.from({ length: horizon }, (_, i) => {
      const value = 1250 + 2 * (i + 1);
      const spread = 5 + i;
      const day = new Date(Date.UTC(2026, 11, 2 + i)).toISOString().slice(0, 10);
      return { date: day, value, low: value - spread, high: value + spread };
    }),
  };
}

/** followerHistory is the audience endpoint's daily followers up to Dec 1, 2026, one unknown. */
export function followerHistory() {
  const daily = Array.from({ length: 20 }, (_, i) => ({
    date: new Date(Date.UTC(2026, 10, 12 + i)).toISOString().slice(0, 10),
    followers: i === 5 ? null : 1210 + 2 * i,
    gained: null,
    lost: null,
    reach: null,
    views: null,
  }));
  return { period_days: 90, followers: 1250, daily };
}

/** goal is a goal answer. */
export function goal(overrides: Partial<Goal> = {}): Goal {
  return {
    id: 'goal-1',
    metric: 'followers',
    target: 10000,
    deadline: '2027-03-01',
    created_at: '2026-11-01T10:00:00Z',
    current: 1234,
    progress: 0.12,
    required_per_day: 97.4,
    current_per_day: 28.1,
    eta: '2027-09-14',
    on_track: false,
    ...overrides,
  };
}

/** adviceRoutes answers the advice section's requests: too few posts, no forecast, no goals. */
export function adviceRoutes() {
  return {
    'GET /api/growth/recommendations': { body: insufficientRecommendations() },
    'GET /api/growth/forecast': { body: { ...forecast(), status: 'insufficient_data', history_days: 3, points: [] } },
    'GET /api/growth/audience': { body: followerHistory() },
    'GET /api/goals': { body: { goals: [] } },
  };
}
