import { useId, type InputHTMLAttributes } from 'react';
import { cn } from '@/lib/cn';

/** InputProps: a labelled text field with an optional hint and error. */
export interface InputProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  hint?: string;
  error?: string;
}

/** Input renders a label, the field and its hint or error, wired for screen readers. */
export function Input({ label, hint, error, className, id, ...rest }: InputProps) {
  const generated = useId();
  const inputId = id ?? generated;
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;

  return (
    <div className={cn('flex flex-col gap-1.5', className)}>
      <label htmlFor={inputId} className="text-sm font-medium text-slate-200">
        {label}
      </label>
      <input
        id={inputId}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={cn(
          'w-full rounded-xl border bg-slate-950/40 px-3.5 py-2.5 text-white placeholder:text-slate-400',
          'focus-visible:outline-2 focus-visible:outline-amber-300',
          error ? 'border-rose-400' : 'border-white/20',
        )}
        {...rest}
      />
      {hint && !error && (
        <p id={hintId} className="text-xs text-slate-300">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="text-sm text-rose-300">
          {error}
        </p>
      )}
    </div>
  );
}
