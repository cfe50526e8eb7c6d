import { GuestRoute } from '@/app/protected-route';
import { AuthForm } from '@/features/auth/components/auth-form';

/** LoginPage is /login. */
export default function LoginPage() {
  return (
    <GuestRoute>
      <AuthForm mode="login" />
    </GuestRoute>
  );
}
