import type { ReactNode } from 'react';
import { cn } from '@/lib/cn';

type Tone = 'info' | 'success' | 'warning' | 'error';

const tones: Record<Tone, string> = {
  info: 'border-sky-300/40 bg-sky-500/15 text-sky-50',
  success: 'border-emerald-300/40 bg-emerald-500/15 text-emerald-50',
  warning: 'border-amber-300/40 bg-amber-500/15 text-amber-50',
  error: 'border-rose-300/50 bg-rose-500/20 text-rose-50',
};

const icons: Record<Tone, string> = { info: 'ℹ', success: '✓', warning: '!', error: '✕' };

/** AlertProps: a message with a tone, an optional title and an optional action. */
export interface AlertProps {
  tone?: Tone;
  title?: string;
  children: ReactNode;
  action?: ReactNode;
  className?: string;
}

/** Alert shows a message; errors are announced assertively, others politely. */
export function Alert({ tone = 'info', title, children, action, className }: AlertProps) {
  return (
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      className={cn('flex flex-wrap items-start gap-3 rounded-xl border px-4 py-3 text-sm', tones[tone], className)}
    >
      <span aria-hidden="true" className="mt-0.5 font-bold">
        {icons[tone]}
      </span>
      <div className="min-w-0 flex-1">
        {title && <p className="font-semibold">{title}</p>}
        <div>{children}</div>
      </div>
      {action}
    </div>
  );
}
