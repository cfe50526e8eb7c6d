/**
 * safeNext accepts only same-site paths ("/dashboard?period=7") as a post-login target, so a
 * crafted `?next=https://evil.example` cannot send the user elsewhere.
 */
export function safeNext(next: string | null | undefined, fallback = '/dashboard'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (next.startsWith('/login') || next.startsWith('/register')) return fallback;
  return next;
}
