import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { Alert } from '@/components/alert';
import { Button } from '@/components/button';
import { Card, CardTitle } from '@/components/card';
import { Input } from '@/components/input';
import { changePassword, deleteAccount, updateSettings } from '@/features/account/api/account';
import { describeError, isApiError } from '@/lib/api-error';
import { setSignedIn, setSignedOut } from '@/lib/auth-token';
import type { User } from '@/types/api';

/** timeZones lists the zones the browser knows, with the current one first in line. */
function timeZones(current: string): string[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  return Array.from(new Set(['UTC', current, ...zones]));
}

function Preferences({ user }: { user: User }) {
  const [timezone, setTimezone] = useState(user.timezone);
  const [digest, setDigest] = useState(user.weekly_digest);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const saved = await updateSettings({ timezone, weekly_digest: digest });
      setSignedIn(saved, false);
      setMessage({ tone: 'success', text: 'Saved.' });
    } catch (err) {
      setMessage({ tone: 'error', text: describeError(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card>
      <CardTitle>Preferences</CardTitle>
      <form onSubmit={onSubmit} className="mt-4 flex flex-col gap-4" aria-label="Preferences">
        {message && <Alert tone={message.tone}>{message.text}</Alert>}
        <div className="flex flex-col gap-1.5">
          <label htmlFor="timezone" className="text-sm font-medium text-slate-200">
            Time zone
          </label>
          <select
            id="timezone"
            value={timezone}
            onChange={(e) => setTimezone(e.target.value)}
            className="w-full rounded-xl border border-white/20 bg-slate-950/40 px-3.5 py-2.5 text-white"
          >
            {timeZones(user.timezone).map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
        </div>
        <label className="flex items-center gap-3 text-sm text-slate-200">
          <input type="checkbox" checked={digest} onChange={(e) => setDigest(e.target.checked)} className="size-4" />
          Weekly digest by email{user.email_verified ? '' : ' (once your address is confirmed)'}
        </label>
        <Button type="submit" loading={busy} className="self-start">
          Save preferences
        </Button>
      </form>
    </Card>
  );
}

function PasswordChange() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setMessage(null);
    const bytes = new TextEncoder().encode(next).length;
    if (bytes < 8 || bytes > 72) {
      setMessage({ tone: 'error', text: 'Your new password needs 8 to 72 characters.' });
      return;
    }
    setBusy(true);
    try {
      const session = await changePassword(current, next);
      setSignedIn(session.user, false);
      setCurrent('');
      setNext('');
      setMessage({ tone: 'success', text: 'Password changed. Every other session has been signed out.' });
    } catch (err) {
      const text = isApiError(err) && err.code === 'invalid_credentials' ? 'Your current password is not right.' : describeError(err);
      setMessage({ tone: 'error', text });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card>
      <CardTitle>Change password</CardTitle>
      <form noValidate onSubmit={onSubmit} className="mt-4 flex flex-col gap-4" aria-label="Change password">
        {message && <Alert tone={message.tone}>{message.text}</Alert>}
        <Input label="Current password" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />
        <Input label="New password" type="password" autoComplete="new-password" hint="8 to 72 characters." value={next} onChange={(e) => setNext(e.target.value)} />
        <Button type="submit" loading={busy} className="self-start">
          Change password
        </Button>
      </form>
    </Card>
  );
}

function DeleteAccount() {
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await deleteAccount(password);
      setSignedOut('logout');
      navigate('/', { replace: true });
    } catch (err) {
      setBusy(false);
      setError(isApiError(err) && err.code === 'invalid_credentials' ? 'That password is not right.' : describeError(err));
    }
  }

  return (
    <Card className="border-rose-300/30">
      <CardTitle>Delete account</CardTitle>
      <p className="mt-2 text-sm text-slate-300">
        This removes your account, your connected Instagram accounts, their posts and history, and signs you out
        everywhere. It cannot be undone.
      </p>
      <form noValidate onSubmit={onSubmit} className="mt-4 flex flex-col gap-4" aria-label="Delete account">
        {error && <Alert tone="error">{error}</Alert>}
        <Input label="Password to confirm" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        <Button type="submit" variant="danger" loading={busy} disabled={password === ''} className="self-start">
          Delete my account
        </Button>
      </form>
    </Card>
  );
}

/** Settings is the user's own account page: preferences, password, deletion. */
export function Settings({ user }: { user: User }) {
  return (
    <div className="mx-auto flex w-full max-w-2xl flex-col gap-6">
      <h1 className="text-2xl font-bold text-white">Settings</h1>
      <p className="text-sm text-slate-300">
        Signed in as <strong>{user.email}</strong>
        {user.email_verified ? '' : ' (not confirmed yet: follow the link we mailed you)'}.
      </p>
      <Preferences user={user} />
      <PasswordChange />
      <DeleteAccount />
    </div>
  );
}
