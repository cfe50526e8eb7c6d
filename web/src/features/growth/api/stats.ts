import { api } from '@/lib/api-client';
import type { GrowthStats, Period } from '@/types/api';

/** PERIODS are the windows the server accepts. */
export const PERIODS: ReadonlyArray<Period> = [7, 14, 30, 90];

/** getGrowthStats reads the stats for a period, bucketed in the time zone `tz`. */
export function getGrowthStats(period: Period, tz: string, signal?: AbortSignal): Promise<GrowthStats> {
  return api<GrowthStats>('/api/growth/stats', { query: { period, tz }, signal });
}
