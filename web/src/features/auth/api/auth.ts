import { api } from '@/lib/api-client';
import type { AuthResponse, Credentials, User } from '@/types/api';

/** register creates an account (201), sets the session cookie and returns the session. */
export function register(credentials: Credentials): Promise<AuthResponse> {
  return api<AuthResponse>('/api/auth/register', { method: 'POST', body: credentials, auth: false });
}

/** login opens a session (200) and sets its cookie. */
export function login(credentials: Credentials): Promise<AuthResponse> {
  return api<AuthResponse>('/api/auth/login', { method: 'POST', body: credentials, auth: false });
}

/** logout ends this session on the server and clears its cookie (204). */
export function logout(): Promise<void> {
  return api<void>('/api/auth/logout', { method: 'POST', auth: false });
}

/** requestPasswordReset asks for a reset link (202 whatever the address). */
export function requestPasswordReset(email: string): Promise<{ message: string }> {
  return api('/api/auth/password-reset', { method: 'POST', body: { email }, auth: false });
}

/** confirmPasswordReset sets a new password with the mailed token and starts a session. */
export function confirmPasswordReset(token: string, password: string): Promise<AuthResponse> {
  return api<AuthResponse>('/api/auth/password-reset/confirm', { method: 'POST', body: { token, password }, auth: false });
}

/** verifyEmail confirms the address with the mailed token. */
export function verifyEmail(token: string): Promise<User> {
  return api<User>('/api/auth/verify-email', { method: 'POST', body: { token }, auth: false });
}
