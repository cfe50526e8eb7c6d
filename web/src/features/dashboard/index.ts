// The public entry of the dashboard feature: what other parts of the app may import.
export { Dashboard } from '@/features/dashboard/components/dashboard';
