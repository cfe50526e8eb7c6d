import { Card } from '@/components/card';

/** Recommendation shows the server's one-sentence verdict for the period. */
export function Recommendation({ message, periodDays }: { message: string; periodDays: number }) {
  return (
    <Card className="border-fuchsia-300/30 bg-linear-to-r from-fuchsia-500/20 to-indigo-500/20">
      <h2 className="text-xs font-medium uppercase tracking-wide text-fuchsia-100">Your last {periodDays} days in one sentence</h2>
      <p className="mt-2 text-lg font-semibold text-white sm:text-xl" data-testid="recommendation">
        {message}
      </p>
    </Card>
  );
}
