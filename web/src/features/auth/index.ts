// The public entry of the auth feature: what other parts of the app may import.
export { AuthForm } from '@/features/auth/components/auth-form';
