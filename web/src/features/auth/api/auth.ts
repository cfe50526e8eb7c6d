import { api } from '@/lib/api-client';
import type { AuthResponse } from '@/types/api';

/** Credentials are what register and login take. */
export interface Credentials {
  email: string;
  password: string;
}

/** register creates an account (201) and returns a session. */
export function register(credentials: Credentials): Promise<AuthResponse> {
  return api<AuthResponse>('/api/auth/register', { method: 'POST', body: credentials, auth: false });
}

/** login opens a session (200). */
export function login(credentials: Credentials): Promise<AuthResponse> {
  return api<AuthResponse>('/api/auth/login', { method: 'POST', body: credentials, auth: false });
}
