import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Button } from '@/components/button';

/** ErrorBoundaryProps are the children to guard and what the reload button does. */
export interface ErrorBoundaryProps {
  children: ReactNode;
  /** Called by the reload button; reloads the page by default. */
  onReload?: () => void;
}

interface ErrorBoundaryState {
  failed: boolean;
}

/**
 * ErrorBoundary replaces a render that threw with a plain message and a reload button, so
 * an unexpected error never leaves a blank page. The error itself is not shown: it may
 * carry details meant for developers, and it goes to the console instead.
 */
export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  state: ErrorBoundaryState = { failed: false };

  static getDerivedStateFromError(): ErrorBoundaryState {
    return { failed: true };
  }

  componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('Unexpected error while rendering', error, info.componentStack);
  }

  render() {
    if (!this.state.failed) return this.props.children;
    const reload = this.props.onReload ?? (() => window.location.reload());
    return (
      <main className="mx-auto flex min-h-screen max-w-md flex-col items-center justify-center gap-4 px-4 text-center">
        <div role="alert" className="flex flex-col items-center gap-2">
          <h1 className="text-2xl font-bold text-white">Something went wrong</h1>
          <p className="text-slate-300">The page stopped working. Reloading it usually helps.</p>
        </div>
        <Button onClick={reload}>Reload the page</Button>
      </main>
    );
  }
}
