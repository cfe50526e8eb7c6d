import { useId } from 'react';
import { cn } from '@/lib/cn';

/** SegmentedOption is one choice of a SegmentedControl. */
export interface SegmentedOption<T extends string | number> {
  value: T;
  label: string;
}

/** SegmentedControlProps: a labelled single choice among a few options. */
export interface SegmentedControlProps<T extends string | number> {
  label: string;
  options: ReadonlyArray<SegmentedOption<T>>;
  value: T;
  onChange: (value: T) => void;
  disabled?: boolean;
}

/**
 * SegmentedControl is a radio group styled as pill buttons. Native radios give the
 * keyboard behaviour for free: Tab enters the group, arrow keys move the choice.
 */
export function SegmentedControl<T extends string | number>({
  label,
  options,
  value,
  onChange,
  disabled,
}: SegmentedControlProps<T>) {
  const name = useId();
  return (
    <fieldset className="min-w-0" disabled={disabled}>
      <legend className="sr-only">{label}</legend>
      <div className="inline-flex rounded-xl border border-white/15 bg-white/5 p-1 backdrop-blur">
        {options.map((option) => {
          const checked = option.value === value;
          return (
            <label
              key={String(option.value)}
              className={cn(
                'relative cursor-pointer rounded-lg px-3 py-1.5 text-sm font-medium transition-colors has-focus-visible:outline-2 has-focus-visible:outline-amber-300',
                checked ? 'bg-white text-slate-900' : 'text-slate-200 hover:bg-white/10',
              )}
            >
              <input
                type="radio"
                name={name}
                value={String(option.value)}
                checked={checked}
                onChange={() => onChange(option.value)}
                className="sr-only"
              />
              {option.label}
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
