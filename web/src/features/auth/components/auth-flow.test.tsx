import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { getSession, setSignedIn } from '@/lib/auth-token';
import { apiError, fakeJwt, mockFetch } from '@/testing/fetch-mock';
import { postsPage, stats, sync, user as fixtureUser } from '@/testing/fixtures';
import { renderAt } from '@/testing/render';

const session = (token = fakeJwt()) => ({
  status: 201,
  body: { token, token_type: 'bearer', expires_in: 86400, user: fixtureUser({ email: 'new@example.com', email_verified: false }) },
});

const dashboardRoutes = {
  'GET /api/instagram/posts': { body: postsPage(2, 2) },
  'GET /api/growth/stats': { body: stats() },
  'GET /api/instagram/sync': { body: sync('idle') },
};

describe('auth flow', () => {
  it('sends a logged-out visitor of /dashboard to /login?next=…', async () => {
    renderAt('/dashboard?period=7');
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/login?next=%2Fdashboard%3Fperiod%3D7'));
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
  });

  it('logs in and goes back to next', async () => {
    const token = fakeJwt();
    const { calls } = mockFetch({ 'POST /api/auth/login': { ...session(token), status: 200 }, ...dashboardRoutes });
    const { user } = renderAt('/login?next=%2Fdashboard');

    await user.type(await screen.findByLabelText('Email'), ' Me@Example.com ');
    await user.type(screen.getByLabelText('Password'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Log in' }));

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/dashboard$/));
    expect(getSession()).toMatchObject({ status: 'signed-in', user: { email: 'new@example.com' } });
    expect(calls[0]?.body).toEqual({ email: 'Me@Example.com', password: 'correct horse' });
    expect(await screen.findByRole('button', { name: 'Log out' })).toBeInTheDocument();
  });

  it('registers and lands on the dashboard', async () => {
    mockFetch({ 'POST /api/auth/register': session(), ...dashboardRoutes });
    const { user } = renderAt('/register');

    await user.type(await screen.findByLabelText('Email'), 'new@example.com');
    await user.type(screen.getByLabelText('Password'), 'longenough');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/dashboard'));
    expect(getSession().status).toBe('signed-in');
  });

  it('checks the fields before calling the server', async () => {
    const { fetchMock } = mockFetch({});
    const { user } = renderAt('/register');

    await user.type(await screen.findByLabelText('Email'), 'not-an-email');
    await user.type(screen.getByLabelText('Password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    expect(screen.getByText('Please enter a valid email address.')).toBeInTheDocument();
    expect(screen.getByText('Use at least 8 characters.')).toBeInTheDocument();
    expect(screen.getByLabelText('Email')).toHaveAttribute('aria-invalid', 'true');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it.each([
    ['POST /api/auth/register', '/register', 'Create account', apiError(409, 'email_taken', 'email already registered'), 'An account with this email already exists. Try logging in instead.'],
    ['POST /api/auth/login', '/login', 'Log in', apiError(401, 'invalid_credentials', 'invalid email or password'), 'That email and password do not match.'],
    ['POST /api/auth/login', '/login', 'Log in', apiError(429, 'rate_limited', 'slow down', { 'Retry-After': '30' }), 'Too many attempts. Please try again in 30 seconds.'],
    ['POST /api/auth/login', '/login', 'Log in', { status: 502, text: 'Bad Gateway' }, 'The server is not reachable right now. Please try again in a moment.'],
  ])('%s shows a plain message (%#)', async (route, path, button, answer, message) => {
    mockFetch({ [route]: answer });
    const { user } = renderAt(path);

    await user.type(await screen.findByLabelText('Email'), 'me@example.com');
    await user.type(screen.getByLabelText('Password'), 'longenough');
    await user.click(screen.getByRole('button', { name: button }));

    expect(await screen.findByRole('alert')).toHaveTextContent(message);
    expect(getSession().status).toBe('signed-out');
    expect(screen.getByRole('button', { name: button })).toBeEnabled();
  });

  it('puts server field errors next to the field', async () => {
    mockFetch({ 'POST /api/auth/register': apiError(400, 'weak_password', 'password must be 8-72 bytes') });
    const { user } = renderAt('/register');

    await user.type(await screen.findByLabelText('Email'), 'me@example.com');
    await user.type(screen.getByLabelText('Password'), 'longenough');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByText('Your password needs 8 to 72 characters.')).toBeInTheDocument();
    expect(screen.getByLabelText('Password')).toHaveAttribute('aria-invalid', 'true');
  });

  it('logs out on the server and returns home', async () => {
    setSignedIn(fixtureUser());
    const { callsTo } = mockFetch({ ...dashboardRoutes, 'POST /api/auth/logout': { status: 204 } });
    const { user } = renderAt('/dashboard');

    await user.click(await screen.findByRole('button', { name: 'Log out' }));

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/$/));
    expect(getSession().status).toBe('signed-out');
    expect(await screen.findByRole('link', { name: 'Sign up' })).toBeInTheDocument();
    expect(callsTo('POST /api/auth/logout')).toHaveLength(1);
  });

  it('sends the user to log in when the API answers 401', async () => {
    setSignedIn(fixtureUser());
    mockFetch({
      'GET /api/instagram/posts': apiError(401, 'unauthorized', 'token expired'),
      'GET /api/growth/stats': apiError(401, 'unauthorized', 'token expired'),
    });
    renderAt('/dashboard');

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/login?next=%2Fdashboard'));
    expect(getSession().status).toBe('signed-out');
  });
});
