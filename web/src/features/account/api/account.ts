import { api } from '@/lib/api-client';
import type { AuthResponse, User, UserSettings } from '@/types/api';

/** updateSettings changes the preferences and returns the user. */
export function updateSettings(settings: UserSettings): Promise<User> {
  return api<User>('/api/user/me', { method: 'PATCH', body: settings });
}

/** changePassword sets a new password; every other session ends and a new one starts. */
export function changePassword(currentPassword: string, newPassword: string): Promise<AuthResponse> {
  return api<AuthResponse>('/api/user/password', {
    method: 'POST',
    body: { current_password: currentPassword, new_password: newPassword },
  });
}

/** deleteAccount removes the user and everything of theirs (204). */
export function deleteAccount(password: string): Promise<void> {
  return api<void>('/api/user/me', { method: 'DELETE', body: { password } });
}
