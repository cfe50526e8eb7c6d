import type { ReactNode } from 'react';
import { Alert } from '@/components/alert';
import { Card } from '@/components/card';
import { ConnectButton } from '@/features/instagram/components/connect-instagram';
import { cn } from '@/lib/cn';
import { formatDateTime, formatInteger } from '@/lib/format';
import type { InstagramAccount } from '@/types/api';

/** AccountCard shows the linked account, its health and the account actions. */
export function AccountCard({ account, actions }: { account: InstagramAccount; actions?: ReactNode }) {
  const needsReauth = account.status === 'needs_reauth';
  return (
    <Card className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <div className="flex min-w-0 items-center gap-3">
          <div aria-hidden="true" className="flex size-12 shrink-0 items-center justify-center rounded-full bg-linear-to-br from-amber-400 via-rose-500 to-fuchsia-600 text-lg font-bold text-white">
            {account.username.charAt(0).toUpperCase() || '@'}
          </div>
          <div className="min-w-0">
            <p className="truncate text-lg font-semibold text-white" data-testid="account-username">
              @{account.username}
            </p>
            <p className="text-sm text-slate-300">
              <span data-testid="account-followers">{formatInteger(account.followers)}</span> followers · last synced{' '}
              {formatDateTime(account.last_synced_at)}
            </p>
          </div>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <span
            data-testid="account-status"
            className={cn(
              'inline-flex items-center gap-1.5 rounded-full px-2.5 py-1 text-xs font-semibold',
              needsReauth ? 'bg-amber-400/20 text-amber-100' : 'bg-emerald-400/20 text-emerald-100',
            )}
          >
            <span aria-hidden="true">{needsReauth ? '!' : '●'}</span>
            {needsReauth ? 'Needs reconnecting' : 'Connected'}
          </span>
          {actions}
        </div>
      </div>
      {needsReauth && (
        <Alert tone="warning" title="Instagram access expired" action={<ConnectButton size="sm">Reconnect</ConnectButton>}>
          Reconnect your account so we can keep your posts and stats up to date.
        </Alert>
      )}
    </Card>
  );
}
