import type { HTMLAttributes } from 'react';
import { cn } from '@/lib/cn';

/** Card is the translucent, blurred panel every section sits on. */
export function Card({ className, ...rest }: HTMLAttributes<HTMLDivElement>) {
  return (
    <div
      className={cn(
        'rounded-2xl border border-white/15 bg-white/8 p-4 shadow-xl shadow-black/20 backdrop-blur-xl sm:p-6',
        className,
      )}
      {...rest}
    />
  );
}

/** CardTitle is a section heading inside a Card. */
export function CardTitle({ className, ...rest }: HTMLAttributes<HTMLHeadingElement>) {
  return <h2 className={cn('text-base font-semibold text-white sm:text-lg', className)} {...rest} />;
}
