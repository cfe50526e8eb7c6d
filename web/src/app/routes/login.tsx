import { GuestRoute } from '@/app/protected-route';
import { AuthForm } from '@/features/auth';

/** LoginPage is /login. */
export default function LoginPage() {
  return (
    <GuestRoute>
      <AuthForm mode="login" />
    </GuestRoute>
  );
}
