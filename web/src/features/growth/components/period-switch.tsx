import { SegmentedControl } from '@/components/segmented-control';
import { PERIODS } from '@/features/growth/api/stats';
import type { Period } from '@/types/api';

const options = PERIODS.map((days) => ({ value: days, label: `${days} days` }));

/** PeriodSwitch picks the stats window. */
export function PeriodSwitch({ value, onChange, disabled }: { value: Period; onChange: (p: Period) => void; disabled?: boolean }) {
  return <SegmentedControl label="Period" options={options} value={value} onChange={onChange} disabled={disabled} />;
}
