import { api } from '@/lib/api-client';
import type { Post } from '@/types/api';
import type { components } from '@/types/openapi.gen';

// The shapes of the contract's recommendations, forecast and goals bodies
// (/work/shared/spec/api-contract.md), written against the contract until the server's
// schemas are in api/openapi.yaml.

/** Confidence grades how sure a recommendation is; it grows with the sample sizes. */
export type Confidence = 'low' | 'medium' | 'high';

/** Recommendation is one piece of advice with the numbers behind it. */
export interface Recommendation {
  kind: string;
  title: string;
  detail: string;
  metric: string;
  effect: number;
  sample: { n: number; baseline_n: number };
  confidence: Confidence;
}

/** TimeSlot is one of the best hours of the week. */
export interface TimeSlot {
  weekday: number;
  hour: number;
  score: number;
  posts: number;
}

/** BestTimes scores each weekday (0 = Sunday) and hour in the viewer's zone, null = no information. */
export interface BestTimes {
  basis: 'performance' | 'online_followers' | 'both';
  heatmap: ReadonlyArray<ReadonlyArray<number | null>>;
  top: ReadonlyArray<TimeSlot>;
  explore: { weekday: number; hour: number } | null;
}

/** OutlierPost is a post as the outliers carry it: the post object of the posts list. */
export type OutlierPost = Post;

/** Outliers are the posts far above and below the window's median engagement. */
export interface Outliers {
  median_engagement: number | null;
  winners: ReadonlyArray<OutlierPost>;
  laggards: ReadonlyArray<OutlierPost>;
}

/** Recommendations is the body of GET /api/growth/recommendations. */
export interface Recommendations {
  status: 'ok' | 'insufficient_data';
  posts_considered: number;
  recommendations: ReadonlyArray<Recommendation>;
  best_times: BestTimes;
  outliers: Outliers;
}

/** ForecastPoint is the forecast of one date with its 80 % interval. */
export interface ForecastPoint {
  date: string;
  value: number;
  low: number;
  high: number;
}

/** Forecast is the body of GET /api/growth/forecast. */
export interface Forecast {
  metric: 'followers';
  method: string;
  status: 'ok' | 'insufficient_data';
  history_days: number;
  points: ReadonlyArray<ForecastPoint>;
}

/** FollowerDay is one date of the follower history: the audience endpoint's date and count. */
export type FollowerDay = Pick<components['schemas']['AudienceDay'], 'date' | 'followers'>;

/** Goal is a follower target with its progress and pace. */
export interface Goal {
  id: string;
  metric: 'followers';
  target: number;
  deadline: string;
  created_at: string;
  current: number;
  progress: number;
  required_per_day: number;
  current_per_day: number | null;
  eta: string | null;
  on_track: boolean | null;
}

/** NewGoal is the body of POST /api/goals. */
export interface NewGoal {
  metric: 'followers';
  target: number;
  deadline: string;
}

/** ADVICE_PERIOD is the window the advice reads, in days: long enough for a sample. */
export const ADVICE_PERIOD = 90;

/** MIN_POSTS is the fewest considered posts advice is given from. */
export const MIN_POSTS = 10;

/** MIN_HISTORY_DAYS is the fewest dates of follower history a forecast is made from. */
export const MIN_HISTORY_DAYS = 14;

/** HORIZONS are the forecast lengths the dashboard offers, in days. */
export const HORIZONS = [7, 30, 90] as const;

/** Horizon is one of HORIZONS. */
export type Horizon = (typeof HORIZONS)[number];

/** getRecommendations reads what to do next, with hours in the time zone `tz`. */
export function getRecommendations(tz: string, signal?: AbortSignal): Promise<Recommendations> {
  return api<Recommendations>('/api/growth/recommendations', { query: { period: ADVICE_PERIOD, tz }, signal });
}

/** getForecast continues the follower count for `horizon` days. */
export function getForecast(horizon: Horizon, signal?: AbortSignal): Promise<Forecast> {
  return api<Forecast>('/api/growth/forecast', { query: { metric: 'followers', horizon }, signal });
}

/** getFollowerHistory reads the daily follower totals of the last 90 days. */
export async function getFollowerHistory(tz: string, signal?: AbortSignal): Promise<FollowerDay[]> {
  const body = await api<components['schemas']['Audience']>('/api/growth/audience', { query: { period: 90, tz }, signal });
  return body.daily.map((d) => ({ date: d.date, followers: d.followers }));
}

/** listGoals reads the user's goals. */
export async function listGoals(signal?: AbortSignal): Promise<Goal[]> {
  const body = await api<{ goals: Goal[] }>('/api/goals', { signal });
  return body.goals;
}

/** createGoal saves a new goal and returns it with its figures. */
export function createGoal(goal: NewGoal): Promise<Goal> {
  return api<Goal>('/api/goals', { method: 'POST', body: goal });
}

/** deleteGoal removes a goal. */
export function deleteGoal(id: string): Promise<void> {
  return api<void>(`/api/goals/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
