import { AdminWaitlist } from '@/features/admin';

/** AdminPage is /admin: the waitlist behind the admin password. */
export default function AdminPage() {
  return <AdminWaitlist />;
}
