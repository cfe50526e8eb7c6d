import { GuestRoute } from '@/app/protected-route';
import { ForgotPasswordForm } from '@/features/auth';

/** ForgotPasswordPage is /forgot-password. */
export default function ForgotPasswordPage() {
  return (
    <GuestRoute>
      <ForgotPasswordForm />
    </GuestRoute>
  );
}
