import { StrictMode, useEffect } from 'react';
import { AppRouter } from '@/app/router';
import { ErrorBoundary } from '@/components/error-boundary';
import { env } from '@/config/env';

// A literal comparison that Vite replaces at build time, so the import below is dropped
// from the build entirely unless VITE_VERCEL_ANALYTICS=true.
const analyticsBuild = import.meta.env.VITE_VERCEL_ANALYTICS === 'true';

/** App is the root component. */
export function App() {
  useEffect(() => {
    if (!analyticsBuild || !env.vercelAnalytics) return;
    // Loaded only when enabled at build time, so it is not part of the bundle otherwise.
    void import('@vercel/analytics').then(({ inject }) => inject());
  }, []);

  return (
    <StrictMode>
      <ErrorBoundary>
        <AppRouter />
      </ErrorBoundary>
    </StrictMode>
  );
}
