import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { getSession, setSignedIn } from '@/lib/auth-token';
import { apiError, mockFetch } from '@/testing/fetch-mock';
import { user } from '@/testing/fixtures';
import { renderAt } from '@/testing/render';

const session = (overrides = {}) => ({ token: 't', token_type: 'bearer', expires_in: 86400, user: user(overrides) });

describe('settings', () => {
  it('sends a logged-out visitor to log in', async () => {
    renderAt('/settings');
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/login?next=%2Fsettings'));
  });

  it('saves the time zone and the weekly digest', async () => {
    setSignedIn(user());
    const { callsTo } = mockFetch({ 'PATCH /api/user/me': { body: user({ timezone: 'Europe/Berlin', weekly_digest: false }) } });
    const { user: u } = renderAt('/settings');

    await u.selectOptions(await screen.findByLabelText('Time zone'), 'Europe/Berlin');
    await u.click(screen.getByLabelText(/Weekly digest/));
    await u.click(screen.getByRole('button', { name: 'Save preferences' }));

    expect(await screen.findByText('Saved.')).toBeInTheDocument();
    expect(callsTo('PATCH /api/user/me')[0]?.body).toEqual({ timezone: 'Europe/Berlin', weekly_digest: false });
    expect(getSession()).toMatchObject({ user: { timezone: 'Europe/Berlin', weekly_digest: false } });
  });

  it('changes the password, and says so when the current one is wrong', async () => {
    setSignedIn(user());
    const { callsTo } = mockFetch({
      'POST /api/user/password': [apiError(401, 'invalid_credentials', 'Email or password is incorrect.'), { body: session() }],
    });
    const { user: u } = renderAt('/settings');

    await u.type(await screen.findByLabelText('Current password'), 'not-it');
    await u.type(screen.getByLabelText('New password'), 'a new password');
    await u.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('Your current password is not right.')).toBeInTheDocument();

    await u.clear(screen.getByLabelText('Current password'));
    await u.type(screen.getByLabelText('Current password'), 'the old one');
    await u.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText(/Every other session has been signed out/)).toBeInTheDocument();
    expect(callsTo('POST /api/user/password')[1]?.body).toEqual({ current_password: 'the old one', new_password: 'a new password' });
    expect(getSession().status).toBe('signed-in');
  });

  it('deletes the account with the password and goes home signed out', async () => {
    setSignedIn(user());
    const { callsTo } = mockFetch({ 'DELETE /api/user/me': [apiError(401, 'invalid_credentials', 'wrong'), { status: 204 }] });
    const { user: u } = renderAt('/settings');

    const button = await screen.findByRole('button', { name: 'Delete my account' });
    expect(button).toBeDisabled();
    await u.type(screen.getByLabelText('Password to confirm'), 'wrong');
    await u.click(button);
    expect(await screen.findByText('That password is not right.')).toBeInTheDocument();
    expect(getSession().status).toBe('signed-in');

    await u.clear(screen.getByLabelText('Password to confirm'));
    await u.type(screen.getByLabelText('Password to confirm'), 'the password');
    await u.click(button);
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/$/));
    expect(callsTo('DELETE /api/user/me')[1]?.body).toEqual({ password: 'the password' });
    expect(getSession().status).toBe('signed-out');
  });
});
