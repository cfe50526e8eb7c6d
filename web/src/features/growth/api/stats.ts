import { type InsightPost } from '@/features/instagram';
import { api } from '@/lib/api-client';
import type { DailyBucket, GrowthStats, Period, WindowTotals } from '@/types/api';

/** PERIODS are the windows the server accepts. */
export const PERIODS: ReadonlyArray<Period> = [7, 14, 30, 90];

// The insights fields of the stats in the HTTP contract (api-contract.md, GET
// /api/growth/stats), until their schemas are in api/openapi.yaml.

/** Freshness says when the account's posts and insights were last read and the next fetch is due. */
export interface Freshness {
  posts_synced_at: string | null;
  insights_synced_at: string | null;
  next_sync_at: string | null;
}

/** InsightTotals are the window sums of a post metric; null when no post reports it. */
export interface InsightTotals {
  total_views: number | null;
  total_reach: number | null;
  total_saves: number | null;
  total_shares: number | null;
}

/** Stats is the body of GET /api/growth/stats with the post insights. */
export type Stats = Omit<GrowthStats, 'previous' | 'daily' | 'best_post'> &
  InsightTotals & {
    previous: WindowTotals & InsightTotals;
    daily: Array<DailyBucket & { views: number | null; reach: number | null }>;
    best_post: InsightPost | null;
    views_trend: number | null;
    reach_trend: number | null;
    saves_trend: number | null;
    shares_trend: number | null;
    insights_coverage: number | null;
    engagement_rate_by_reach: number | null;
    freshness: Freshness;
  };

/** getGrowthStats reads the stats for a period, bucketed in the time zone `tz`. */
export function getGrowthStats(period: Period, tz: string, signal?: AbortSignal): Promise<Stats> {
  return api<Stats>('/api/growth/stats', { query: { period, tz }, signal });
}
