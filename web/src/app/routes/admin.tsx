import { AdminWaitlist } from '@/features/admin/components/admin-waitlist';

/** AdminPage is /admin: the waitlist behind the admin password. */
export default function AdminPage() {
  return <AdminWaitlist />;
}
