import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Alert } from '@/components/alert';
import { Button } from '@/components/button';
import { Card } from '@/components/card';
import { Input } from '@/components/input';
import { confirmPasswordReset } from '@/features/auth/api/auth';
import { describeError, isApiError } from '@/lib/api-error';
import { setSignedIn } from '@/lib/auth-token';

/** ResetPasswordForm sets a new password with the token of the mailed link, then signs in. */
export function ResetPasswordForm() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(token ? null : 'This link has no token. Ask for a new one.');
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    const bytes = new TextEncoder().encode(password).length;
    if (bytes < 8 || bytes > 72) {
      setFieldError('Use 8 to 72 characters.');
      return;
    }
    setFieldError(undefined);
    setBusy(true);
    try {
      const session = await confirmPasswordReset(token, password);
      setSignedIn(session.user);
      navigate('/dashboard', { replace: true });
    } catch (err) {
      setBusy(false);
      if (isApiError(err) && err.code === 'weak_password') setFieldError(describeError(err));
      else setError(describeError(err));
    }
  }

  return (
    <Card className="mx-auto w-full max-w-md">
      <h1 className="text-2xl font-bold text-white">Choose a new password</h1>
      <form noValidate onSubmit={onSubmit} className="mt-6 flex flex-col gap-4" aria-label="Choose a new password">
        {error && (
          <Alert tone="error">
            {error}{' '}
            <Link to="/forgot-password" className="font-semibold underline">
              Ask for a new link
            </Link>
          </Alert>
        )}
        <Input
          label="New password"
          type="password"
          name="password"
          autoComplete="new-password"
          required
          hint="8 to 72 characters. You will be signed out everywhere else."
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldError}
        />
        <Button type="submit" loading={busy} disabled={!token} className="mt-2 w-full">
          {busy ? 'Saving…' : 'Set password'}
        </Button>
      </form>
    </Card>
  );
}
