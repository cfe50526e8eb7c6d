import { api } from '@/lib/api-client';
import type {
  Audience,
  AudienceDay,
  BestTimes,
  Forecast,
  ForecastPoint,
  Goal,
  GoalInput,
  GoalList,
  Outliers,
  Recommendation,
  Recommendations,
  TimeSlot,
} from '@/types/api';

/** Confidence grades how sure a recommendation is; it grows with the sample sizes. */
export type Confidence = Recommendation['confidence'];

/** OutlierPost is a post as the outliers carry it: the post object of the posts list. */
export type OutlierPost = Outliers['winners'][number];

/** FollowerDay is one date of the follower history: the audience endpoint's date and count. */
export type FollowerDay = Pick<AudienceDay, 'date' | 'followers'>;

/** NewGoal is the body of POST /api/goals. */
export type NewGoal = GoalInput;

export type { BestTimes, Forecast, ForecastPoint, Goal, Recommendation, Recommendations, TimeSlot };

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
  const body = await api<Audience>('/api/growth/audience', { query: { period: 90, tz }, signal });
  return body.daily.map((d) => ({ date: d.date, followers: d.followers }));
}

/** listGoals reads the user's goals. */
export async function listGoals(signal?: AbortSignal): Promise<Goal[]> {
  const body = await api<GoalList>('/api/goals', { signal });
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
