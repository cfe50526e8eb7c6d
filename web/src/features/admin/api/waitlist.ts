import { api, send } from '@/lib/api-client';
import type { WaitlistPage } from '@/types/api';

const header = (password: string) => ({ 'X-Admin-Password': password });

/** getWaitlist reads one page of signups, newest first. */
export function getWaitlist(password: string, page: number, limit: number, signal?: AbortSignal): Promise<WaitlistPage> {
  return api<WaitlistPage>('/api/admin/waitlist', {
    query: { page, limit },
    headers: header(password),
    auth: false,
    signal,
  });
}

/** downloadWaitlistCsv fetches the CSV export with the password header and returns it as a Blob. */
export async function downloadWaitlistCsv(password: string): Promise<Blob> {
  const response = await send('/api/admin/waitlist', {
    query: { format: 'csv' },
    headers: { ...header(password), Accept: 'text/csv' },
    auth: false,
  });
  return response.blob();
}
