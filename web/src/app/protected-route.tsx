import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { LoadingRegion, Skeleton } from '@/components/skeleton';
import { lastClearReason } from '@/lib/auth-token';
import { useSession } from '@/lib/use-session';

function Checking() {
  return (
    <LoadingRegion label="Checking your session" className="flex flex-col gap-4">
      <Skeleton className="h-10 w-2/3" />
    </LoadingRegion>
  );
}

/**
 * ProtectedRoute sends logged-out visitors (or those whose session ended, as a 401 says)
 * to the login page, remembering where they were going.
 */
export function ProtectedRoute({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.status === 'unknown') return <Checking />;
  if (session.status === 'signed-out') {
    // A deliberate log-out goes home; an ended session comes back here after logging in.
    if (lastClearReason() === 'logout') return <Navigate to="/" replace />;
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return children;
}

/** GuestRoute sends signed-in users away from the login and register pages. */
export function GuestRoute({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.status === 'unknown') return <Checking />;
  if (session.status === 'signed-in') {
    const next = new URLSearchParams(location.search).get('next');
    return <Navigate to={next && next.startsWith('/') && !next.startsWith('//') ? next : '/dashboard'} replace />;
  }
  return children;
}
