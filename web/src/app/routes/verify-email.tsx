import { VerifyEmail } from '@/features/auth';

/** VerifyEmailPage is /verify-email?token=…, the link of the verification mail. */
export default function VerifyEmailPage() {
  return <VerifyEmail />;
}
