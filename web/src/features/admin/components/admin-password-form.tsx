import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/alert';
import { Button } from '@/components/button';
import { Card } from '@/components/card';
import { Input } from '@/components/input';

/** AdminPasswordForm asks for the admin password; it is kept for this tab only. */
export function AdminPasswordForm({ onSubmit, error }: { onSubmit: (password: string) => void; error?: string | null }) {
  const [password, setPassword] = useState('');

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (password) onSubmit(password);
  }

  return (
    <Card className="mx-auto w-full max-w-md">
      <h1 className="text-2xl font-bold text-white">Waitlist admin</h1>
      <p className="mt-2 text-sm text-slate-300">The password stays in this browser tab and is forgotten when you close it.</p>
      <form onSubmit={submit} className="mt-6 flex flex-col gap-4" aria-label="Unlock the waitlist">
        {error && <Alert tone="error">{error}</Alert>}
        <Input
          label="Admin password"
          type="password"
          name="admin-password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <Button type="submit" disabled={!password}>
          Open the waitlist
        </Button>
      </form>
    </Card>
  );
}
