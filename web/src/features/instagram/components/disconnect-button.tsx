import { useState } from 'react';
import { Alert } from '@/components/alert';
import { Button } from '@/components/button';
import { Dialog } from '@/components/dialog';
import { disconnectInstagram } from '@/features/instagram/api/instagram';
import { describeError } from '@/lib/api-error';

/** DisconnectButton removes the linked account after a confirmation dialog. */
export function DisconnectButton({ username, onDisconnected }: { username: string; onDisconnected: () => void }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await disconnectInstagram();
      setOpen(false);
      onDisconnected();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button variant="ghost" size="sm" onClick={() => setOpen(true)}>
        Disconnect
      </Button>
      <Dialog
        open={open}
        title="Disconnect Instagram?"
        onClose={() => !busy && setOpen(false)}
        actions={
          <>
            <Button variant="secondary" onClick={() => setOpen(false)} disabled={busy} autoFocus>
              Keep it connected
            </Button>
            <Button variant="danger" onClick={confirm} loading={busy}>
              Disconnect
            </Button>
          </>
        }
      >
        <p>
          This removes <strong>@{username}</strong> and all of its stored posts from Creator Growth Tool. You can connect
          it again later; your stats will be rebuilt from Instagram.
        </p>
        {error && (
          <Alert tone="error" className="mt-4">
            {error}
          </Alert>
        )}
      </Dialog>
    </>
  );
}
