import { send } from '@/lib/api-client';
import type { MessageBody } from '@/types/api';

/** SignupResult tells whether the email was new (201) or already listed (200). */
export interface SignupResult {
  created: boolean;
  message: string;
}

/** signupForWaitlist adds an email to the waitlist. */
export async function signupForWaitlist(email: string): Promise<SignupResult> {
  const response = await send('/api/waitlist/signup', { method: 'POST', body: { email }, auth: false });
  let message = '';
  try {
    message = ((await response.json()) as Partial<MessageBody>).message ?? '';
  } catch {
    // A 2xx without a body is still a success.
  }
  const created = response.status === 201;
  return { created, message: message || (created ? 'Signed up successfully' : 'Already on the waitlist') };
}
