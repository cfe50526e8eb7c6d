import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/alert';
import { Button } from '@/components/button';
import { Input } from '@/components/input';
import { signupForWaitlist } from '@/features/waitlist/api/signup';
import { describeError } from '@/lib/api-error';

type Result = { tone: 'success' | 'info' | 'error'; text: string };

/** WaitlistForm collects an email for the waitlist and says whether it was new. */
export function WaitlistForm() {
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setResult(null);
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) {
      setFieldError('Please enter a valid email address.');
      return;
    }
    setFieldError(undefined);
    setBusy(true);
    try {
      const { created } = await signupForWaitlist(email.trim());
      setResult(
        created
          ? { tone: 'success', text: "You're on the waitlist! We'll email you when your spot opens." }
          : { tone: 'info', text: "You're already on the waitlist. We'll be in touch soon." },
      );
      if (created) setEmail('');
    } catch (error) {
      setResult({ tone: 'error', text: describeError(error) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form noValidate onSubmit={onSubmit} aria-label="Join the waitlist" className="flex flex-col gap-3">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
        <Input
          className="flex-1"
          label="Your email"
          type="email"
          name="email"
          autoComplete="email"
          placeholder="you@example.com"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fieldError}
        />
        <Button type="submit" loading={busy} className="sm:mb-0">
          Join the waitlist
        </Button>
      </div>
      {result && <Alert tone={result.tone}>{result.text}</Alert>}
    </form>
  );
}
