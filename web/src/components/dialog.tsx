import { useEffect, useId, useRef, type ReactNode } from 'react';
import { cn } from '@/lib/cn';

/** DialogProps: a modal with a title, content and actions. */
export interface DialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  actions: ReactNode;
  className?: string;
}

/**
 * Dialog wraps the native modal <dialog>: the browser traps focus, closes on Escape and
 * returns focus to the opener, so no focus-trap code is needed here.
 */
export function Dialog({ open, title, onClose, children, actions, className }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      className={cn(
        'm-auto w-[calc(100%-2rem)] max-w-md rounded-2xl border border-white/20 bg-slate-900/90 p-6 text-slate-100 shadow-2xl backdrop-blur-xl',
        className,
      )}
    >
      {open && (
        <>
          <h2 id={titleId} className="text-lg font-semibold text-white">
            {title}
          </h2>
          <div className="mt-3 text-sm text-slate-200">{children}</div>
          <div className="mt-6 flex flex-wrap justify-end gap-3">{actions}</div>
        </>
      )}
    </dialog>
  );
}
