import { api, send } from '@/lib/api-client';
import type { CreatedShareLink, ExportFormat, Period, PublicReport, ShareLink } from '@/types/api';

/** exportFileName reads the file name of a Content-Disposition header, with a fallback. */
export function exportFileName(disposition: string | null, fallback: string): string {
  const match = /filename="([^"]+)"/.exec(disposition ?? '');
  return match?.[1] ?? fallback;
}

/** downloadExport fetches the export (with the session) and hands it to the browser as a file. */
export async function downloadExport(format: ExportFormat, period: Period, tz: string): Promise<string> {
  const response = await send('/api/growth/export', {
    query: { format, period, tz },
    headers: { Accept: format === 'csv' ? 'text/csv' : 'application/json' },
  });
  const name = exportFileName(response.headers.get('Content-Disposition'), `growth-${period}d.${format}`);
  const url = URL.createObjectURL(await response.blob());
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
  } finally {
    // Revoked after the click has started the download.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return name;
}

/** createShareLink makes a read-only link to the chosen account's report. */
export function createShareLink(input: { period: Period; tz: string; expires_in_days: number }): Promise<CreatedShareLink> {
  return api<CreatedShareLink>('/api/share-links', { method: 'POST', body: input });
}

/** listShareLinks lists the chosen account's links, newest first. */
export async function listShareLinks(signal?: AbortSignal): Promise<ShareLink[]> {
  const body = await api<{ share_links: ShareLink[] }>('/api/share-links', { signal });
  return body.share_links;
}

/** deleteShareLink revokes a link (204). */
export function deleteShareLink(id: string): Promise<void> {
  return api<void>(`/api/share-links/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** getPublicReport reads the report a share link opens, without the session. */
export function getPublicReport(token: string, signal?: AbortSignal): Promise<PublicReport> {
  return api<PublicReport>(`/api/public/reports/${encodeURIComponent(token)}`, { auth: false, signal });
}
