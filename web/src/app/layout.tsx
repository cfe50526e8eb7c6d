import { Suspense } from 'react';
import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { buttonClasses } from '@/components/button';
import { LoadingRegion, Skeleton } from '@/components/skeleton';
import { logout } from '@/features/auth';
import { setSignedOut } from '@/lib/auth-token';
import { cn } from '@/lib/cn';
import { useSession } from '@/lib/use-session';

const navLink = ({ isActive }: { isActive: boolean }) =>
  cn('rounded-lg px-3 py-1.5 text-sm font-medium', isActive ? 'bg-white/15 text-white' : 'text-slate-200 hover:bg-white/10');

function PageFallback() {
  return (
    <LoadingRegion label="Loading page" className="flex flex-col gap-4">
      <Skeleton className="h-10 w-2/3" />
      <Skeleton className="h-40 w-full rounded-2xl" />
    </LoadingRegion>
  );
}

/** Layout is the frame of every page: skip link, header with navigation, main content. */
export function Layout() {
  const session = useSession();
  const navigate = useNavigate();

  async function logOut() {
    try {
      await logout();
    } catch {
      // Already ended, or the server is unreachable: this tab forgets it either way.
    }
    setSignedOut('logout');
    navigate('/', { replace: true });
  }

  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="print:hidden sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-50 focus:rounded-lg focus:bg-white focus:px-4 focus:py-2 focus:text-slate-900">
        Skip to content
      </a>
      <header className="sticky top-0 z-40 print:hidden border-b border-white/10 bg-slate-950/40 backdrop-blur-xl">
        <div className="mx-auto flex max-w-6xl items-center justify-between gap-3 px-4 py-3">
          <Link to="/" className="flex items-center gap-2 font-bold text-white">
            <img src="/favicon.svg" alt="" width={28} height={28} />
            <span className="hidden sm:inline">Creator Growth Tool</span>
            <span className="sm:hidden">CGT</span>
          </Link>
          <nav aria-label="Main" className="flex items-center gap-1 sm:gap-2">
            {session.status === 'signed-in' ? (
              <>
                <NavLink to="/dashboard" className={navLink}>
                  Dashboard
                </NavLink>
                <NavLink to="/settings" className={navLink}>
                  Settings
                </NavLink>
                <button type="button" onClick={() => void logOut()} className={buttonClasses('secondary', 'sm')}>
                  Log out
                </button>
              </>
            ) : session.status === 'unknown' ? null : (
              <>
                <NavLink to="/login" className={navLink}>
                  Log in
                </NavLink>
                <Link to="/register" className={buttonClasses('primary', 'sm')}>
                  Sign up
                </Link>
              </>
            )}
          </nav>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 sm:py-10">
        <Suspense fallback={<PageFallback />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="px-4 py-6 print:hidden text-center text-xs text-slate-400">
        Creator Growth Tool · Not affiliated with Instagram.
      </footer>
    </div>
  );
}
