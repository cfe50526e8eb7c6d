import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert } from '@/components/alert';
import { Card } from '@/components/card';
import { Spinner } from '@/components/spinner';
import { verifyEmail } from '@/features/auth/api/auth';
import { describeError } from '@/lib/api-error';

type State = { status: 'checking' } | { status: 'done'; email: string } | { status: 'failed'; message: string };

/** VerifyEmail spends the token of the mailed link once, when the page opens. */
export function VerifyEmail() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [state, setState] = useState<State>(token ? { status: 'checking' } : { status: 'failed', message: 'This link has no token.' });
  const sent = useRef(false);

  useEffect(() => {
    // The token is single use: send it once, even when effects run twice.
    if (!token || sent.current) return;
    sent.current = true;
    verifyEmail(token)
      .then((user) => setState({ status: 'done', email: user.email }))
      .catch((err: unknown) => setState({ status: 'failed', message: describeError(err) }));
  }, [token]);

  return (
    <Card className="mx-auto w-full max-w-md">
      <h1 className="text-2xl font-bold text-white">Confirm your email</h1>
      <div className="mt-6 flex flex-col gap-4" aria-live="polite">
        {state.status === 'checking' && (
          <p className="flex items-center gap-2 text-slate-200">
            <Spinner /> Confirming…
          </p>
        )}
        {state.status === 'done' && <Alert tone="success">{state.email} is confirmed.</Alert>}
        {state.status === 'failed' && <Alert tone="error">{state.message}</Alert>}
        <Link to="/dashboard" className="text-center text-sm font-semibold text-fuchsia-300 underline-offset-4 hover:underline">
          Go to the dashboard
        </Link>
      </div>
    </Card>
  );
}
