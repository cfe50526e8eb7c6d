import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { getSession } from '@/lib/auth-token';
import { apiError, mockFetch } from '@/testing/fetch-mock';
import { postsPage, stats, sync, user } from '@/testing/fixtures';
import { renderAt } from '@/testing/render';

const accepted = { status: 202, body: { message: 'If that address has an account, a reset link is on its way.' } };

describe('password reset and email verification', () => {
  it('links from the login form to the reset request, which answers the same for any address', async () => {
    const { callsTo } = mockFetch({ 'POST /api/auth/password-reset': accepted });
    const { user: u } = renderAt('/login');

    await u.click(await screen.findByRole('link', { name: 'Forgot password?' }));
    await screen.findByRole('heading', { name: 'Reset your password' });
    await u.type(screen.getByLabelText('Email'), ' me@example.com ');
    await u.click(screen.getByRole('button', { name: 'Send reset link' }));

    expect(await screen.findByText('If that address has an account, a reset link is on its way.')).toBeInTheDocument();
    expect(callsTo('POST /api/auth/password-reset')[0]?.body).toEqual({ email: 'me@example.com' });
  });

  it('sets a new password with the link token and signs in', async () => {
    const { callsTo } = mockFetch({
      'POST /api/auth/password-reset/confirm': { body: { token: 't', token_type: 'bearer', expires_in: 86400, user: user() } },
      'GET /api/instagram/posts': { body: postsPage(1, 1) },
      'GET /api/growth/stats': { body: stats() },
      'GET /api/instagram/sync': { body: sync('idle') },
    });
    const { user: u } = renderAt('/reset-password?token=abc123');

    await u.type(await screen.findByLabelText('New password'), 'a new password');
    await u.click(screen.getByRole('button', { name: 'Set password' }));

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/dashboard'));
    expect(callsTo('POST /api/auth/password-reset/confirm')[0]?.body).toEqual({ token: 'abc123', password: 'a new password' });
    expect(getSession().status).toBe('signed-in');
  });

  it('says when the reset link is used or expired', async () => {
    mockFetch({ 'POST /api/auth/password-reset/confirm': apiError(400, 'invalid_token', 'bad token') });
    const { user: u } = renderAt('/reset-password?token=used');

    await u.type(await screen.findByLabelText('New password'), 'a new password');
    await u.click(screen.getByRole('button', { name: 'Set password' }));

    expect(await screen.findByText(/This link is invalid, already used or expired/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Ask for a new link' })).toBeInTheDocument();
    expect(getSession().status).toBe('signed-out');
  });

  it('confirms the address once with the link token', async () => {
    const { callsTo } = mockFetch({ 'POST /api/auth/verify-email': { body: user({ email: 'me@example.com' }) } });
    renderAt('/verify-email?token=tok-1');

    expect(await screen.findByText('me@example.com is confirmed.')).toBeInTheDocument();
    expect(callsTo('POST /api/auth/verify-email')).toHaveLength(1);
    expect(callsTo('POST /api/auth/verify-email')[0]?.body).toEqual({ token: 'tok-1' });
  });

  it('says when the verification link is no good', async () => {
    mockFetch({ 'POST /api/auth/verify-email': apiError(400, 'invalid_token', 'bad token') });
    renderAt('/verify-email?token=old');
    expect(await screen.findByText(/This link is invalid, already used or expired/)).toBeInTheDocument();
  });
});
