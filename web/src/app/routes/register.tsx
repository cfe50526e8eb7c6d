import { GuestRoute } from '@/app/protected-route';
import { AuthForm } from '@/features/auth';

/** RegisterPage is /register. */
export default function RegisterPage() {
  return (
    <GuestRoute>
      <AuthForm mode="register" />
    </GuestRoute>
  );
}
