// The public entry of the auth feature: what other parts of the app may import.
export { logout } from '@/features/auth/api/auth';
export { AuthForm } from '@/features/auth/components/auth-form';
export { ForgotPasswordForm } from '@/features/auth/components/forgot-password-form';
export { ResetPasswordForm } from '@/features/auth/components/reset-password-form';
export { VerifyEmail } from '@/features/auth/components/verify-email';
