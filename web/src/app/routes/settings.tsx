import { ProtectedRoute } from '@/app/protected-route';
import { Settings } from '@/features/account';
import { useSession } from '@/lib/use-session';

function SignedInSettings() {
  const session = useSession();
  return session.status === 'signed-in' ? <Settings user={session.user} /> : null;
}

/** SettingsPage is /settings, for signed-in users only. */
export default function SettingsPage() {
  return (
    <ProtectedRoute>
      <SignedInSettings />
    </ProtectedRoute>
  );
}
