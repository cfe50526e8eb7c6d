import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exportFileName } from '@/features/reports/api/reports';
import { PublicReportView } from '@/features/reports/components/public-report';
import { ReportActions } from '@/features/reports/components/report-actions';
import { ShareLinks } from '@/features/reports/components/share-links';
import { setSelectedAccount } from '@/lib/selected-account';
import { apiError, mockFetch } from '@/testing/fetch-mock';
import { stats } from '@/testing/fixtures';
import { renderWithRouter } from '@/testing/render';

afterEach(() => vi.restoreAllMocks());

describe('ReportActions', () => {
  it('downloads the CSV and the JSON of the period under the server-given names, for the chosen account', async () => {
    setSelectedAccount('acc-2');
    const { callsTo } = mockFetch({
      'GET /api/growth/export': (url) => ({
        text: url.searchParams.get('format') === 'csv' ? 'posted_at\n' : '{}',
        headers: { 'Content-Disposition': `attachment; filename="growth-sunny-14d-2026-11-25.${url.searchParams.get('format')}"` },
      }),
    });
    const created = vi.fn((blob: Blob) => (void blob, 'blob:report'));
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() }));
    const names: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    const { user } = renderWithRouter(<ReportActions period={14} timeZone="Europe/Berlin" />);

    await user.click(screen.getByRole('button', { name: 'Download CSV' }));
    await user.click(screen.getByRole('button', { name: 'Download JSON' }));
    await waitFor(() => expect(names).toEqual(['growth-sunny-14d-2026-11-25.csv', 'growth-sunny-14d-2026-11-25.json']));
    const calls = callsTo('GET /api/growth/export');
    expect(calls.map((c) => c.url.searchParams.get('format'))).toEqual(['csv', 'json']);
    for (const c of calls) {
      expect(c.url.searchParams.get('period')).toBe('14');
      expect(c.url.searchParams.get('tz')).toBe('Europe/Berlin');
      expect(c.url.searchParams.get('account_id')).toBe('acc-2');
    }
  });

  it('opens the print dialog', async () => {
    const print = vi.spyOn(window, 'print').mockImplementation(() => undefined);
    const { user } = renderWithRouter(<ReportActions period={30} timeZone="UTC" />);
    await user.click(screen.getByRole('button', { name: 'Print or save as PDF' }));
    expect(print).toHaveBeenCalledTimes(1);
  });

  it('reads file names out of Content-Disposition', () => {
    expect(exportFileName('attachment; filename="growth-a-7d-2026-01-02.csv"', 'x')).toBe('growth-a-7d-2026-01-02.csv');
    expect(exportFileName(null, 'fallback.csv')).toBe('fallback.csv');
  });
});

describe('ShareLinks', () => {
  const listed = {
    id: 'link-1',
    account_id: 'acc-1',
    period_days: 30,
    tz: 'UTC',
    expires_at: '2999-01-01T00:00:00Z',
    created_at: '2026-11-25T10:00:00Z',
  };

  it('creates a link, shows its address once, and revokes links', async () => {
    const { callsTo } = mockFetch({
      'GET /api/share-links': [{ body: { share_links: [] } }, { body: { share_links: [listed] } }, { body: { share_links: [] } }],
      'POST /api/share-links': {
        status: 201,
        body: { ...listed, token: 'T'.repeat(43), url: `https://growth.example/r/${'T'.repeat(43)}` },
      },
      'DELETE /api/share-links/link-1': { status: 204 },
    });
    const { user } = renderWithRouter(<ShareLinks initialPeriod={30} timeZone="Europe/Berlin" version={0} />);

    await user.selectOptions(screen.getByLabelText('Period'), '90');
    await user.selectOptions(screen.getByLabelText('Expires'), '7');
    await user.click(screen.getByRole('button', { name: 'Create link' }));
    expect(callsTo('POST /api/share-links')[0]?.body).toEqual({ period: 90, tz: 'Europe/Berlin', expires_in_days: 7 });
    const address = await screen.findByTestId('share-link-url');
    expect(address).toHaveValue(`https://growth.example/r/${'T'.repeat(43)}`);
    await user.click(screen.getByRole('button', { name: 'Copy' }));
    // user-event's clipboard stands in for the browser's.
    expect(await navigator.clipboard.readText()).toBe(`https://growth.example/r/${'T'.repeat(43)}`);
    expect(await screen.findByRole('button', { name: 'Copied' })).toBeInTheDocument();

    const item = await screen.findByTestId('share-link-item');
    expect(item).toHaveTextContent('Last 30 days');
    await user.click(within(item).getByRole('button', { name: /Revoke/ }));
    await waitFor(() => expect(screen.queryByTestId('share-link-item')).not.toBeInTheDocument());
    expect(callsTo('DELETE /api/share-links/link-1')).toHaveLength(1);
    expect(screen.queryByTestId('share-link-url')).not.toBeInTheDocument();
  });
});

describe('PublicReportView', () => {
  it('renders the report without a session and without ids', async () => {
    const s = stats();
    const { best_post, ...rest } = s;
    const { id: _id, ...publicPost } = best_post!;
    const { callsTo } = mockFetch({
      'GET /api/public/reports/tok': { body: { username: 'sunny.creator', followers: 1234, stats: { ...rest, best_post: publicPost } } },
    });
    renderWithRouter(<PublicReportView token="tok" />);
    expect(await screen.findByRole('heading', { name: "@sunny.creator's growth report" })).toBeInTheDocument();
    expect(screen.getByTestId('best-post-caption')).toHaveTextContent('Sunset over the bay');
    expect(screen.queryByRole('button', { name: /Disconnect|Refresh|Download/ })).not.toBeInTheDocument();
    const call = callsTo('GET /api/public/reports/tok')[0];
    expect(call?.headers.get('Authorization')).toBeNull();
    expect(call?.url.searchParams.has('account_id')).toBe(false);
  });

  it('says so when the link is unknown, expired or revoked', async () => {
    mockFetch({ 'GET /api/public/reports/gone': apiError(404, 'not_found', 'no such report') });
    renderWithRouter(<PublicReportView token="gone" />);
    expect(await screen.findByRole('heading', { name: 'This report link does not work' })).toBeInTheDocument();
  });
});
