import { api } from '@/lib/api-client';
import type { AuthResponse, Credentials } from '@/types/api';

/** register creates an account (201) and returns a session. */
export function register(credentials: Credentials): Promise<AuthResponse> {
  return api<AuthResponse>('/api/auth/register', { method: 'POST', body: credentials, auth: false });
}

/** login opens a session (200). */
export function login(credentials: Credentials): Promise<AuthResponse> {
  return api<AuthResponse>('/api/auth/login', { method: 'POST', body: credentials, auth: false });
}
