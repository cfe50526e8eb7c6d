import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Alert } from '@/components/alert';
import { Button } from '@/components/button';
import { Card } from '@/components/card';
import { Input } from '@/components/input';
import { requestPasswordReset } from '@/features/auth/api/auth';
import { describeError } from '@/lib/api-error';

/** ForgotPasswordForm asks for a reset link; the answer is the same whether the address has an account. */
export function ForgotPasswordForm() {
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) {
      setError('Please enter a valid email address.');
      return;
    }
    setBusy(true);
    try {
      const { message } = await requestPasswordReset(email.trim());
      setSent(message);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card className="mx-auto w-full max-w-md">
      <h1 className="text-2xl font-bold text-white">Reset your password</h1>
      {sent ? (
        <div className="mt-6 flex flex-col gap-4">
          <Alert tone="success">{sent}</Alert>
          <p className="text-sm text-slate-300">The link works once, for 30 minutes.</p>
        </div>
      ) : (
        <form noValidate onSubmit={onSubmit} className="mt-6 flex flex-col gap-4" aria-label="Reset your password">
          {error && <Alert tone="error">{error}</Alert>}
          <Input label="Email" type="email" name="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          <Button type="submit" loading={busy} className="mt-2 w-full">
            {busy ? 'Sending…' : 'Send reset link'}
          </Button>
        </form>
      )}
      <p className="mt-6 text-center text-sm text-slate-300">
        <Link to="/login" className="font-semibold text-fuchsia-300 underline-offset-4 hover:underline">
          Back to log in
        </Link>
      </p>
    </Card>
  );
}
