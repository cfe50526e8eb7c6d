import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { apiError, mockFetch } from '@/testing/fetch-mock';
import { renderAt } from '@/testing/render';

async function signUp(email: string) {
  const view = renderAt('/');
  await view.user.type(await screen.findByLabelText('Your email'), email);
  await view.user.click(screen.getByRole('button', { name: 'Join the waitlist' }));
  return view;
}

describe('waitlist signup on the landing page', () => {
  it('confirms a new signup (201)', async () => {
    const { calls } = mockFetch({ 'POST /api/waitlist/signup': { status: 201, body: { message: 'Signed up successfully' } } });
    await signUp('fan@example.com');
    expect(await screen.findByText(/You're on the waitlist!/)).toBeInTheDocument();
    expect(calls[0]?.body).toEqual({ email: 'fan@example.com' });
  });

  it('says when the email is already listed (200)', async () => {
    mockFetch({ 'POST /api/waitlist/signup': { status: 200, body: { message: 'Already on the waitlist' } } });
    await signUp('fan@example.com');
    expect(await screen.findByText(/already on the waitlist/i)).toBeInTheDocument();
  });

  it('shows a server rejection in plain words', async () => {
    mockFetch({ 'POST /api/waitlist/signup': apiError(400, 'invalid_email', 'invalid email') });
    await signUp('fan@example.com');
    expect(await screen.findByRole('alert')).toHaveTextContent('Please enter a valid email address.');
  });

  it('checks the address before sending', async () => {
    const { fetchMock } = mockFetch({});
    await signUp('nope');
    expect(screen.getByText('Please enter a valid email address.')).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
