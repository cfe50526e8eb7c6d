import { useId, useState } from 'react';
import { Alert } from '@/components/alert';
import { Button } from '@/components/button';
import { Card, CardTitle } from '@/components/card';
import { createShareLink, deleteShareLink, listShareLinks } from '@/features/reports/api/reports';
import { describeError } from '@/lib/api-error';
import { formatDateTime } from '@/lib/format';
import { useAsync } from '@/lib/use-async';
import type { CreatedShareLink, Period } from '@/types/api';

/** EXPIRY_CHOICES are the lifetimes offered for a new link, in days. */
export const EXPIRY_CHOICES: ReadonlyArray<number> = [1, 7, 30, 90, 365];

const PERIOD_CHOICES: ReadonlyArray<Period> = [7, 14, 30, 90];

const selectClass = 'rounded-lg border border-white/15 bg-slate-900 px-3 py-1.5 text-sm text-white';

/**
 * ShareLinks creates, lists and revokes read-only links to the account's report. The
 * server keeps only a hash of each token, so a link's address can be copied right after
 * its creation and never again; the list shows what each link opens and until when.
 */
export function ShareLinks({ initialPeriod, timeZone, version }: { initialPeriod: Period; timeZone: string; version: number }) {
  const periodId = useId();
  const expiryId = useId();
  const [period, setPeriod] = useState<Period>(initialPeriod);
  const [days, setDays] = useState(30);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedShareLink | null>(null);
  const [copied, setCopied] = useState(false);
  const [listVersion, setListVersion] = useState(0);
  const links = useAsync(
    (signal) => listShareLinks(signal).then((list) => ({ list, at: Date.now() })),
    [version, listVersion],
  );

  async function create() {
    setBusy(true);
    setError(null);
    setCopied(false);
    try {
      setCreated(await createShareLink({ period, tz: timeZone, expires_in_days: days }));
      setListVersion((v) => v + 1);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  }

  async function copy(url: string) {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      setError('Copying was refused by the browser: select the address and copy it yourself.');
    }
  }

  async function revoke(id: string) {
    setError(null);
    try {
      await deleteShareLink(id);
      if (created?.id === id) setCreated(null);
      setListVersion((v) => v + 1);
    } catch (e) {
      setError(describeError(e));
    }
  }

  return (
    <Card className="flex flex-col gap-4 print:hidden" data-testid="share-links">
      <CardTitle>Share a read-only report</CardTitle>
      <p className="text-sm text-slate-300">
        Anyone with the link sees this account&apos;s stats for the period, without your email or account controls.
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <div className="flex flex-col gap-1 text-sm text-slate-300">
          <label htmlFor={periodId}>Period</label>
          <select id={periodId} className={selectClass} value={period} onChange={(e) => setPeriod(Number(e.target.value) as Period)}>
            {PERIOD_CHOICES.map((p) => (
              <option key={p} value={p}>
                Last {p} days
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1 text-sm text-slate-300">
          <label htmlFor={expiryId}>Expires</label>
          <select id={expiryId} className={selectClass} value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {EXPIRY_CHOICES.map((d) => (
              <option key={d} value={d}>
                {d === 1 ? 'after 1 day' : `after ${d} days`}
              </option>
            ))}
          </select>
        </div>
        <Button size="sm" onClick={create} loading={busy}>
          Create link
        </Button>
      </div>
      {created && (
        <Alert tone="success" title="Link created: copy it now, it is shown only once">
          <div className="flex flex-wrap items-center gap-2">
            <input
              readOnly
              aria-label="Share link address"
              value={created.url}
              onFocus={(e) => e.currentTarget.select()}
              className="min-w-0 flex-1 rounded-lg border border-white/15 bg-slate-900 px-2 py-1 text-sm text-white"
              data-testid="share-link-url"
            />
            <Button size="sm" variant="secondary" onClick={() => copy(created.url)}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          </div>
        </Alert>
      )}
      {error && <Alert tone="error">{error}</Alert>}
      {links.data && links.data.list.length > 0 && (
        <ul className="flex flex-col divide-y divide-white/10" aria-label="Share links">
          {links.data.list.map((l) => {
            const expired = Date.parse(l.expires_at) <= (links.data?.at ?? 0);
            return (
              <li key={l.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm" data-testid="share-link-item">
                <span className="text-slate-200">
                  Last {l.period_days} days · {l.tz} · {expired ? 'expired' : 'expires'} {formatDateTime(l.expires_at)}
                </span>
                <Button size="sm" variant="ghost" onClick={() => revoke(l.id)}>
                  Revoke<span className="sr-only"> the link created {formatDateTime(l.created_at)}</span>
                </Button>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
