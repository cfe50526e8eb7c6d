// The public entry of the admin feature: what other parts of the app may import.
export { AdminWaitlist } from '@/features/admin/components/admin-waitlist';
