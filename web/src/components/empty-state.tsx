import type { ReactNode } from 'react';

/** EmptyState explains why there is nothing to show and what to do. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="flex flex-col items-center gap-2 rounded-xl border border-dashed border-white/20 px-4 py-8 text-center">
      <p className="font-medium text-white">{title}</p>
      {children && <div className="max-w-prose text-sm text-slate-300">{children}</div>}
      {action && <div className="mt-2">{action}</div>}
    </div>
  );
}
