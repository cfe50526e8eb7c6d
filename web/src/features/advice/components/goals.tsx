import { useState } from 'react';
import { Button } from '@/components/button';
import { Card, CardTitle } from '@/components/card';
import { Dialog } from '@/components/dialog';
import { EmptyState } from '@/components/empty-state';
import { ErrorState } from '@/components/error-state';
import { LoadingRegion, Skeleton } from '@/components/skeleton';
import { deleteGoal, listGoals, type Goal } from '@/features/advice/api/advice';
import { GoalForm } from '@/features/advice/components/goal-form';
import { longDate, paceText } from '@/features/advice/lib/goal-words';
import { describeError } from '@/lib/api-error';
import { cn } from '@/lib/cn';
import { formatInteger } from '@/lib/format';
import { useAsync } from '@/lib/use-async';

/** Goals lists the follower goals with their progress and pace, and creates and deletes them. */
export function Goals({ followers, reloadKey }: { followers?: number | null; reloadKey?: unknown }) {
  const goals = useAsync((signal) => listGoals(signal), [reloadKey]);

  let body;
  if (goals.status === 'error' && !goals.data) {
    body = <ErrorState error={goals.error} onRetry={goals.reload} title="Could not load your goals" />;
  } else if (!goals.data) {
    body = (
      <LoadingRegion label="Loading your goals">
        <Skeleton className="h-24 w-full rounded-xl" />
      </LoadingRegion>
    );
  } else if (goals.data.length === 0) {
    body = <EmptyState title="No goals yet">Set a follower target and a date, and see here whether your pace gets you there.</EmptyState>;
  } else {
    body = (
      <ul className="flex flex-col gap-3" aria-label="Your goals">
        {goals.data.map((goal) => (
          <GoalItem key={goal.id} goal={goal} onDeleted={goals.reload} />
        ))}
      </ul>
    );
  }

  return (
    <Card className="flex min-w-0 flex-col gap-4" data-testid="goals">
      <CardTitle>Your goals</CardTitle>
      {body}
      <GoalForm followers={followers ?? null} onCreated={goals.reload} />
    </Card>
  );
}

const badges = {
  yes: { text: 'On track', className: 'bg-emerald-400/20 text-emerald-100 ring-emerald-300/40' },
  no: { text: 'Behind pace', className: 'bg-amber-400/20 text-amber-100 ring-amber-300/40' },
  unknown: { text: 'Not enough data yet', className: 'bg-white/10 text-slate-200 ring-white/25' },
};

function GoalItem({ goal, onDeleted }: { goal: Goal; onDeleted: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const badge = goal.on_track === null ? badges.unknown : goal.on_track ? badges.yes : badges.no;
  const shown = Math.min(1, Math.max(0, goal.progress));
  const reached = goal.current >= goal.target;

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await deleteGoal(goal.id);
      setConfirming(false);
      onDeleted();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="flex flex-col gap-3 rounded-xl border border-white/10 bg-slate-950/30 p-3 sm:p-4" data-testid="goal">
      <div className="flex flex-col items-start gap-1.5 sm:flex-row sm:justify-between sm:gap-3">
        <p className="min-w-0 font-semibold text-white sm:flex-1" data-testid="goal-title">
          {formatInteger(goal.target)} followers by {longDate(goal.deadline)}
        </p>
        <span className={cn('shrink-0 rounded-full px-2.5 py-0.5 text-xs font-medium ring-1', badge.className)} data-testid="goal-on-track">
          {reached ? 'Reached' : badge.text}
        </span>
      </div>
      <div className="flex flex-col gap-1">
        <progress
          value={shown}
          max={1}
          aria-label={`Progress toward ${formatInteger(goal.target)} followers`}
          className="h-2.5 w-full appearance-none overflow-hidden rounded-full bg-white/10 [&::-moz-progress-bar]:bg-emerald-400 [&::-webkit-progress-bar]:bg-white/10 [&::-webkit-progress-value]:rounded-full [&::-webkit-progress-value]:bg-emerald-400"
        />
        <p className="flex flex-wrap justify-between gap-x-3 text-sm text-slate-200">
          <span data-testid="goal-current">
            {formatInteger(goal.current)} of {formatInteger(goal.target)} followers
          </span>
          <span data-testid="goal-progress">{Math.round(goal.progress * 100)}% of the way since you set it</span>
        </p>
      </div>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-3">
        <div>
          <dt className="text-xs text-slate-300">Pace needed</dt>
          <dd className="text-slate-100" data-testid="goal-required">
            {reached ? 'Nothing more' : paceText(goal.required_per_day)}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-300">Your pace, last 4 weeks</dt>
          <dd className="text-slate-100" data-testid="goal-pace">
            {goal.current_per_day === null ? 'Not enough data yet' : paceText(goal.current_per_day)}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-300">Reached at this pace</dt>
          <dd className="text-slate-100" data-testid="goal-eta">
            {goal.eta ? longDate(goal.eta) : goal.current_per_day === null ? 'Not enough data yet' : 'Not while the count is not growing'}
          </dd>
        </div>
      </dl>
      <div className="flex flex-wrap items-center justify-end gap-3">
        {error && (
          <p role="alert" className="text-sm text-rose-300">
            {error}
          </p>
        )}
        <Button variant="ghost" size="sm" onClick={() => setConfirming(true)}>
          Delete goal
        </Button>
      </div>
      <Dialog
        open={confirming}
        title="Delete this goal?"
        onClose={() => setConfirming(false)}
        actions={
          <>
            <Button variant="secondary" onClick={() => setConfirming(false)} disabled={busy}>
              Keep it
            </Button>
            <Button variant="danger" onClick={remove} loading={busy}>
              Delete
            </Button>
          </>
        }
      >
        {formatInteger(goal.target)} followers by {longDate(goal.deadline)} will be gone for good.
      </Dialog>
    </li>
  );
}
