import { useState } from 'react';
import { Alert } from '@/components/alert';
import { Button } from '@/components/button';
import { Card } from '@/components/card';
import { EmptyState } from '@/components/empty-state';
import { ErrorState } from '@/components/error-state';
import { LoadingRegion, Skeleton } from '@/components/skeleton';
import { AdminPasswordForm } from '@/features/admin/components/admin-password-form';
import { downloadWaitlistCsv, getWaitlist } from '@/features/admin/api/waitlist';
import { describeError, isApiError } from '@/lib/api-error';
import { formatDateTime, formatInteger } from '@/lib/format';
import { useAsync } from '@/lib/use-async';
import type { WaitlistPage } from '@/types/api';

const STORAGE_KEY = 'cgt.admin-password';
const LIMIT = 50;

function readStored(): string | null {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function store(password: string | null) {
  try {
    if (password) window.sessionStorage.setItem(STORAGE_KEY, password);
    else window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Session storage unavailable: keep the password in memory only.
  }
}

/** AdminWaitlist asks for the admin password, then lists the waitlist with paging and CSV export. */
export function AdminWaitlist() {
  const [password, setPassword] = useState<string | null>(readStored);
  const [rejected, setRejected] = useState<string | null>(null);

  if (!password) {
    return (
      <AdminPasswordForm
        error={rejected}
        onSubmit={(value) => {
          store(value);
          setRejected(null);
          setPassword(value);
        }}
      />
    );
  }

  return (
    <WaitlistTable
      password={password}
      onRejected={(message) => {
        store(null);
        setPassword(null);
        setRejected(message);
      }}
      onLock={() => {
        store(null);
        setPassword(null);
      }}
    />
  );
}

function WaitlistTable({
  password,
  onRejected,
  onLock,
}: {
  password: string;
  onRejected: (message: string) => void;
  onLock: () => void;
}) {
  const [page, setPage] = useState(1);
  const [csvError, setCsvError] = useState<string | null>(null);
  const [csvBusy, setCsvBusy] = useState(false);
  const result = useAsync<WaitlistPage>(
    async (signal) => {
      try {
        return await getWaitlist(password, page, LIMIT, signal);
      } catch (error) {
        if (isApiError(error) && error.status === 401) onRejected('That admin password is not right.');
        throw error;
      }
    },
    [password, page],
  );

  async function downloadCsv() {
    setCsvError(null);
    setCsvBusy(true);
    try {
      const blob = await downloadWaitlistCsv(password);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `waitlist-${new Date().toISOString().slice(0, 10)}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (error) {
      setCsvError(describeError(error));
    } finally {
      setCsvBusy(false);
    }
  }

  const data = result.data;

  return (
    <Card className="flex flex-col gap-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold text-white">Waitlist</h1>
          {data && (
            <p className="text-sm text-slate-300" data-testid="waitlist-total">
              {formatInteger(data.total)} {data.total === 1 ? 'signup' : 'signups'} in total
            </p>
          )}
        </div>
        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" onClick={downloadCsv} loading={csvBusy}>
            Download CSV
          </Button>
          <Button variant="ghost" onClick={onLock}>
            Lock
          </Button>
        </div>
      </div>
      {csvError && <Alert tone="error">{csvError}</Alert>}

      {result.status === 'loading' && !data && (
        <LoadingRegion label="Loading the waitlist" className="flex flex-col gap-2">
          {Array.from({ length: 6 }, (_, i) => (
            <Skeleton key={i} className="h-9 w-full" />
          ))}
        </LoadingRegion>
      )}
      {result.status === 'error' && <ErrorState error={result.error} onRetry={result.reload} title="Could not load the waitlist" />}
      {data && data.entries.length === 0 && <EmptyState title="Nobody on the waitlist yet">Signups from the landing page appear here.</EmptyState>}
      {data && data.entries.length > 0 && (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[22rem] text-left text-sm">
            <caption className="sr-only">Waitlist signups, newest first</caption>
            <thead className="text-slate-300">
              <tr className="border-b border-white/10">
                <th scope="col" className="py-2 pr-4 font-medium">Email</th>
                <th scope="col" className="py-2 font-medium">Signed up</th>
              </tr>
            </thead>
            <tbody>
              {data.entries.map((entry) => (
                <tr key={entry.id} className="border-b border-white/5">
                  <td className="break-all py-2 pr-4 text-white">{entry.email}</td>
                  <td className="whitespace-nowrap py-2 text-slate-200">{formatDateTime(entry.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && data.total_pages > 1 && (
        <nav aria-label="Waitlist pages" className="flex items-center justify-between gap-3">
          <Button variant="secondary" size="sm" disabled={page <= 1 || result.status === 'loading'} onClick={() => setPage((p) => p - 1)}>
            Previous
          </Button>
          <span className="text-sm text-slate-200" aria-live="polite">
            Page {data.page} of {data.total_pages}
          </span>
          <Button
            variant="secondary"
            size="sm"
            disabled={page >= data.total_pages || result.status === 'loading'}
            onClick={() => setPage((p) => p + 1)}
          >
            Next
          </Button>
        </nav>
      )}
    </Card>
  );
}
