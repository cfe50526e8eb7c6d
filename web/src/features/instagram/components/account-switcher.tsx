import { useId } from 'react';
import { getAccounts } from '@/features/instagram/api/instagram';
import { ConnectButton } from '@/features/instagram/components/connect-instagram';
import { setSelectedAccount } from '@/lib/selected-account';
import { useAsync } from '@/lib/use-async';

/**
 * AccountSwitcher picks the Instagram account the dashboard acts on, among the user's
 * accounts (most recently connected first), and offers to connect another one.
 * `current` is the id of the account the dashboard shows; `version` reloads the list.
 */
export function AccountSwitcher({ current, version, onChange }: { current: string; version: number; onChange: () => void }) {
  const id = useId();
  const accounts = useAsync((signal) => getAccounts(signal), [version]);
  const list = accounts.data?.accounts ?? [];

  function choose(value: string) {
    // The newest account is the server's default: no choice needs storing for it.
    setSelectedAccount(value === list[0]?.id ? null : value);
    onChange();
  }

  return (
    <div className="flex flex-wrap items-center gap-2 print:hidden" data-testid="account-switcher">
      {list.length > 1 && (
        <>
          <label htmlFor={id} className="text-sm text-slate-300">
            Account
          </label>
          <select
            id={id}
            value={current}
            onChange={(e) => choose(e.target.value)}
            className="rounded-lg border border-white/15 bg-slate-900 px-3 py-1.5 text-sm text-white"
          >
            {list.map((a) => (
              <option key={a.id} value={a.id}>
                @{a.username}
              </option>
            ))}
          </select>
        </>
      )}
      <ConnectButton variant="secondary" size="sm">
        Connect another account
      </ConnectButton>
    </div>
  );
}
