import type { ReactNode } from 'react';
import { cn } from '@/lib/cn';

/** Skeleton is a pulsing placeholder block; size it with classes. */
export function Skeleton({ className }: { className?: string }) {
  return (
    <div aria-hidden="true" className={cn('animate-pulse rounded-lg bg-white/10 motion-reduce:animate-none', className)} />
  );
}

/** LoadingRegion wraps skeletons with an accessible busy label. */
export function LoadingRegion({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div role="status" aria-busy="true" aria-live="polite" className={className}>
      <span className="sr-only">{label}</span>
      {children}
    </div>
  );
}
