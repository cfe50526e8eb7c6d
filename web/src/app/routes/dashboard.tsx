import { ProtectedRoute } from '@/app/protected-route';
import { Dashboard } from '@/features/dashboard';

/** DashboardPage is /dashboard, for signed-in users only. */
export default function DashboardPage() {
  return (
    <ProtectedRoute>
      <Dashboard />
    </ProtectedRoute>
  );
}
