import { ResetPasswordForm } from '@/features/auth';

/** ResetPasswordPage is /reset-password?token=…, the link of the reset mail. */
export default function ResetPasswordPage() {
  return <ResetPasswordForm />;
}
