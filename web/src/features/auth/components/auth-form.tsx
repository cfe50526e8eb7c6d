import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Alert } from '@/components/alert';
import { Button } from '@/components/button';
import { Card } from '@/components/card';
import { Input } from '@/components/input';
import { login, register } from '@/features/auth/api/auth';
import { describeError, isApiError } from '@/lib/api-error';
import { setSignedIn } from '@/lib/auth-token';
import { safeNext } from '@/lib/safe-next';

type Mode = 'login' | 'register';

interface FieldErrors {
  email?: string;
  password?: string;
}

const copy = {
  login: { title: 'Log in', submit: 'Log in', busy: 'Logging in…', switchText: 'New here?', switchLink: 'Create an account', switchTo: '/register' },
  register: { title: 'Create your account', submit: 'Create account', busy: 'Creating account…', switchText: 'Already have an account?', switchLink: 'Log in', switchTo: '/login' },
} as const;

/** validate checks the fields before calling the server. */
export function validate(mode: Mode, email: string, password: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) errors.email = 'Please enter a valid email address.';
  if (mode === 'register') {
    const bytes = new TextEncoder().encode(password).length;
    if (bytes < 8) errors.password = 'Use at least 8 characters.';
    else if (bytes > 72) errors.password = 'Use at most 72 characters.';
  } else if (password === '') {
    errors.password = 'Please enter your password.';
  }
  return errors;
}

/** AuthForm is the register or log-in form; on success (the server set the session cookie) it goes to `next`. */
export function AuthForm({ mode }: { mode: Mode }) {
  const text = copy[mode];
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const errors = validate(mode, email, password);
    setFieldErrors(errors);
    if (errors.email || errors.password) return;

    setBusy(true);
    try {
      const call = mode === 'login' ? login : register;
      const session = await call({ email: email.trim(), password });
      setSignedIn(session.user);
      navigate(next, { replace: true });
    } catch (error) {
      setBusy(false);
      if (isApiError(error) && error.code === 'invalid_email') setFieldErrors({ email: describeError(error) });
      else if (isApiError(error) && error.code === 'weak_password') setFieldErrors({ password: describeError(error) });
      else setFormError(describeError(error));
    }
  }

  const switchHref = params.get('next') ? `${text.switchTo}?next=${encodeURIComponent(next)}` : text.switchTo;

  return (
    <Card className="mx-auto w-full max-w-md">
      <h1 className="text-2xl font-bold text-white">{text.title}</h1>
      <form noValidate onSubmit={onSubmit} className="mt-6 flex flex-col gap-4" aria-label={text.title}>
        {formError && <Alert tone="error">{formError}</Alert>}
        <Input
          label="Email"
          type="email"
          name="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fieldErrors.email}
        />
        <Input
          label="Password"
          type="password"
          name="password"
          autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          hint={mode === 'register' ? '8 to 72 characters.' : undefined}
          error={fieldErrors.password}
        />
        <Button type="submit" loading={busy} className="mt-2 w-full">
          {busy ? text.busy : text.submit}
        </Button>
        {mode === 'login' && (
          <Link to="/forgot-password" className="text-center text-sm text-slate-300 underline-offset-4 hover:underline">
            Forgot password?
          </Link>
        )}
      </form>
      <p className="mt-6 text-center text-sm text-slate-300">
        {text.switchText}{' '}
        <Link to={switchHref} className="font-semibold text-fuchsia-300 underline-offset-4 hover:underline">
          {text.switchLink}
        </Link>
      </p>
    </Card>
  );
}
