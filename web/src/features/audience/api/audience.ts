import { api } from '@/lib/api-client';
import type { Audience, Period } from '@/types/api';

/** getAudience reads the account's audience for a period, the heatmap in the time zone `tz`. */
export function getAudience(period: Period, tz: string, signal?: AbortSignal): Promise<Audience> {
  return api<Audience>('/api/growth/audience', { query: { period, tz }, signal });
}
