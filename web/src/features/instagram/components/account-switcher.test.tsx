import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { getPosts } from '@/features/instagram/api/instagram';
import { AccountSwitcher } from '@/features/instagram/components/account-switcher';
import { getSelectedAccount } from '@/lib/selected-account';
import { mockFetch } from '@/testing/fetch-mock';
import { account, postsPage } from '@/testing/fixtures';
import { renderWithRouter } from '@/testing/render';

const accounts = [account({ id: 'acc-new', username: 'newest' }), account({ id: 'acc-old', username: 'older' })];

describe('AccountSwitcher', () => {
  it('switches the account every account call acts on', async () => {
    const { callsTo } = mockFetch({
      'GET /api/instagram/accounts': { body: { accounts } },
      'GET /api/instagram/posts': { body: postsPage(1, 1) },
    });
    const onChange = vi.fn();
    const { user } = renderWithRouter(<AccountSwitcher current="acc-new" version={0} onChange={onChange} />);

    const select = await screen.findByLabelText('Account');
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['@newest', '@older']);
    await user.selectOptions(select, 'acc-old');
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(getSelectedAccount()).toBe('acc-old');

    await getPosts({ limit: 5 });
    expect(callsTo('GET /api/instagram/posts').at(-1)?.url.searchParams.get('account_id')).toBe('acc-old');

    // Back to the newest: the server's default, nothing stored.
    await user.selectOptions(select, 'acc-new');
    expect(getSelectedAccount()).toBeNull();
    await getPosts({ limit: 5 });
    expect(callsTo('GET /api/instagram/posts').at(-1)?.url.searchParams.has('account_id')).toBe(false);
    // The accounts list itself is never scoped.
    expect(callsTo('GET /api/instagram/accounts')[0]?.url.searchParams.has('account_id')).toBe(false);
  });

  it('offers only "Connect another account" with a single account', async () => {
    mockFetch({ 'GET /api/instagram/accounts': { body: { accounts: [accounts[0]] } } });
    renderWithRouter(<AccountSwitcher current="acc-new" version={0} onChange={() => undefined} />);
    expect(await screen.findByRole('button', { name: 'Connect another account' })).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByLabelText('Account')).not.toBeInTheDocument());
  });
});
