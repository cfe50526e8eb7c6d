import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { lastClearReason } from '@/lib/auth-token';
import { useSession } from '@/lib/use-session';

/**
 * ProtectedRoute sends logged-out visitors (or those whose token expired or was cleared by
 * a 401) to the login page, remembering where they were going.
 */
export function ProtectedRoute({ children }: { children: ReactNode }) {
  const token = useSession();
  const location = useLocation();
  if (!token) {
    // A deliberate log-out goes home; an ended session comes back here after logging in.
    if (lastClearReason() === 'logout') return <Navigate to="/" replace />;
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return children;
}

/** GuestRoute sends signed-in users away from the login and register pages. */
export function GuestRoute({ children }: { children: ReactNode }) {
  const token = useSession();
  const location = useLocation();
  if (token) {
    const next = new URLSearchParams(location.search).get('next');
    return <Navigate to={next && next.startsWith('/') && !next.startsWith('//') ? next : '/dashboard'} replace />;
  }
  return children;
}
