import { useState } from 'react';
import { Alert } from '@/components/alert';
import { Button, type ButtonProps } from '@/components/button';
import { Card } from '@/components/card';
import { getConnectUrl } from '@/features/instagram/api/instagram';
import { describeError } from '@/lib/api-error';
import { redirectTo } from '@/lib/redirect';

/** ConnectButton asks the server for the authorize URL and sends the browser there. */
export function ConnectButton({ children = 'Connect Instagram', ...rest }: Omit<ButtonProps, 'onClick'>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function connect() {
    setBusy(true);
    setError(null);
    try {
      redirectTo(await getConnectUrl());
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  }

  return (
    <div className="flex flex-col gap-3">
      <Button {...rest} loading={busy} onClick={connect}>
        {children}
      </Button>
      {error && <Alert tone="error">{error}</Alert>}
    </div>
  );
}

/** ConnectInstagram is the call to action shown while no account is linked. */
export function ConnectInstagram() {
  return (
    <Card className="mx-auto flex max-w-2xl flex-col items-center gap-4 text-center">
      <div aria-hidden="true" className="flex size-16 items-center justify-center rounded-2xl bg-linear-to-br from-amber-400 via-rose-500 to-fuchsia-600 text-3xl">
        ◎
      </div>
      <h2 className="text-2xl font-bold text-white">Connect your Instagram account</h2>
      <p className="max-w-prose text-slate-200">
        Link your Instagram professional account and we will pull in your posts, then tell you whether your
        engagement is growing and what to do next. We only read your posts and their likes and comments.
      </p>
      <ConnectButton />
    </Card>
  );
}
