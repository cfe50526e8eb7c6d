import { api } from '@/lib/api-client';
import type { Period } from '@/types/api';

// The audience body of the HTTP contract (api-contract.md, GET /api/growth/audience),
// until its schemas are in api/openapi.yaml.

/** AudienceDay is one US Pacific date of account figures; each is null when not reported. */
export interface AudienceDay {
  date: string;
  followers: number | null;
  gained: number | null;
  lost: number | null;
  reach: number | null;
  views: number | null;
}

/** PartStatus says whether a part has data, or why not. */
export type PartStatus = 'ok' | 'insufficient_followers' | 'unavailable';

/** OnlineFollowers is the weekday × hour heatmap in the asked zone (null unless ok). */
export type OnlineFollowers =
  | { status: 'ok'; heatmap: Array<Array<number | null>> }
  | { status: 'insufficient_followers' | 'unavailable'; heatmap: null };

/** DemographicRow is one bucket of a breakdown ("25-34", "F", "US") and its count. */
export interface DemographicRow {
  key: string;
  value: number;
}

/** DemographicBreakdowns are the four breakdowns of one audience. */
export interface DemographicBreakdowns {
  age: DemographicRow[];
  gender: DemographicRow[];
  country: DemographicRow[];
  city: DemographicRow[];
}

/** Demographics are the followers' and the engaged audience's breakdowns (null unless ok). */
export type Demographics =
  | { status: 'ok'; timeframe: string; followers: DemographicBreakdowns; engaged: DemographicBreakdowns }
  | { status: 'insufficient_followers' | 'unavailable'; timeframe: null; followers: null; engaged: null };

/** Audience is the body of GET /api/growth/audience. */
export interface Audience {
  period_days: Period;
  followers: number | null;
  followers_gained: number | null;
  followers_lost: number | null;
  net_followers: number | null;
  daily: AudienceDay[];
  online_followers: OnlineFollowers;
  demographics: Demographics;
  freshness: { posts_synced_at: string | null; insights_synced_at: string | null; next_sync_at: string | null };
}

/** getAudience reads the account's audience for a period, the heatmap in the time zone `tz`. */
export function getAudience(period: Period, tz: string, signal?: AbortSignal): Promise<Audience> {
  return api<Audience>('/api/growth/audience', { query: { period, tz }, signal });
}
