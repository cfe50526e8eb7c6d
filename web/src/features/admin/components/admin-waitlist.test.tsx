import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { apiError, mockFetch } from '@/testing/fetch-mock';
import { renderAt } from '@/testing/render';

const entries = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `w${i}`, email: `fan${i}@example.com`, created_at: '2026-11-25T10:00:00Z' }));

async function unlock(password = 's3cret') {
  const view = renderAt('/admin');
  await view.user.type(await screen.findByLabelText('Admin password'), password);
  await view.user.click(screen.getByRole('button', { name: 'Open the waitlist' }));
  return view;
}

describe('admin waitlist', () => {
  it('asks for the password, then lists the signups with the header', async () => {
    const { calls } = mockFetch({
      'GET /api/admin/waitlist': { body: { entries: entries(3), page: 1, limit: 50, total: 3, total_pages: 1 } },
    });
    await unlock();

    expect(await screen.findByText('fan0@example.com')).toBeInTheDocument();
    expect(screen.getByTestId('waitlist-total')).toHaveTextContent('3 signups in total');
    expect(calls[0]?.headers.get('X-Admin-Password')).toBe('s3cret');
    expect(calls[0]?.headers.get('Authorization')).toBeNull();
    expect(calls[0]?.url.searchParams.get('page')).toBe('1');
    expect(window.sessionStorage.getItem('cgt.admin-password')).toBe('s3cret');
    expect(window.localStorage.length).toBe(0);
  });

  it('returns to the prompt on a wrong password', async () => {
    mockFetch({ 'GET /api/admin/waitlist': apiError(401, 'unauthorized', 'invalid admin password') });
    await unlock('wrong');
    expect(await screen.findByRole('alert')).toHaveTextContent('That admin password is not right.');
    expect(screen.getByLabelText('Admin password')).toBeInTheDocument();
    expect(window.sessionStorage.getItem('cgt.admin-password')).toBeNull();
  });

  it('explains when admin access is not configured', async () => {
    mockFetch({ 'GET /api/admin/waitlist': apiError(503, 'unavailable', 'admin disabled') });
    await unlock();
    expect(await screen.findByRole('alert')).toHaveTextContent('This part of the service is unavailable right now.');
  });

  it('shows an empty state', async () => {
    mockFetch({ 'GET /api/admin/waitlist': { body: { entries: [], page: 1, limit: 50, total: 0, total_pages: 0 } } });
    await unlock();
    expect(await screen.findByText('Nobody on the waitlist yet')).toBeInTheDocument();
  });

  it('pages through the list', async () => {
    const { callsTo } = mockFetch({
      'GET /api/admin/waitlist': (url) => {
        const page = Number(url.searchParams.get('page'));
        return { body: { entries: entries(2).map((e) => ({ ...e, id: `${e.id}-${page}`, email: `p${page}-${e.email}` })), page, limit: 50, total: 120, total_pages: 3 } };
      },
    });
    const { user } = await unlock();
    expect(await screen.findByText('Page 1 of 3')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Previous' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Next' }));

    expect(await screen.findByText('p2-fan0@example.com')).toBeInTheDocument();
    expect(screen.getByText('Page 2 of 3')).toBeInTheDocument();
    expect(callsTo('GET /api/admin/waitlist').at(-1)?.url.searchParams.get('page')).toBe('2');
  });

  it('downloads the CSV with the password header as a Blob', async () => {
    const createObjectURL = vi.fn((_blob: Blob) => 'blob:waitlist');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() }));
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const { callsTo } = mockFetch({
      'GET /api/admin/waitlist': (url) =>
        url.searchParams.get('format') === 'csv'
          ? { text: 'id,email,created_at\nw0,fan0@example.com,2026-11-25T10:00:00Z\n', headers: { 'Content-Type': 'text/csv' } }
          : { body: { entries: entries(1), page: 1, limit: 50, total: 1, total_pages: 1 } },
    });
    const { user } = await unlock();
    await screen.findByText('fan0@example.com');

    await user.click(screen.getByRole('button', { name: 'Download CSV' }));

    await waitFor(() => expect(click).toHaveBeenCalled());
    const csvCall = callsTo('GET /api/admin/waitlist').find((c) => c.url.searchParams.get('format') === 'csv');
    expect(csvCall?.headers.get('X-Admin-Password')).toBe('s3cret');
    const blob = createObjectURL.mock.calls[0]?.[0] as Blob;
    expect(await blob.text()).toContain('fan0@example.com');
  });
});
