import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/alert';
import { Button } from '@/components/button';
import { Input } from '@/components/input';
import { createGoal } from '@/features/advice/api/advice';
import { addDays, goalTarget, localDate, serverGoalError, validateGoal, type GoalDraft, type GoalErrors } from '@/features/advice/lib/goal-words';
import { describeError, isApiError } from '@/lib/api-error';

const empty: GoalDraft = { target: '', deadline: '' };

/** GoalForm creates a follower goal: a target and a deadline, checked here and by the server. */
export function GoalForm({ followers, onCreated }: { followers: number | null; onCreated: () => void }) {
  const [draft, setDraft] = useState<GoalDraft>(empty);
  const [errors, setErrors] = useState<GoalErrors>({});
  const [refused, setRefused] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setRefused(null);
    const found = validateGoal(draft, followers);
    setErrors(found);
    if (found.target || found.deadline) return;
    setBusy(true);
    try {
      await createGoal({ metric: 'followers', target: goalTarget(draft), deadline: draft.deadline });
      setDraft(empty);
      onCreated();
    } catch (error) {
      setRefused(isApiError(error) && error.status === 400 ? serverGoalError(error.message) : describeError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form noValidate onSubmit={submit} className="flex flex-col gap-3 border-t border-white/10 pt-4" aria-label="New goal">
      <h3 className="text-sm font-semibold text-white">Set a new goal</h3>
      <div className="grid gap-3 sm:grid-cols-2">
        <Input
          label="Target followers"
          inputMode="numeric"
          autoComplete="off"
          placeholder={followers !== null ? String(Math.ceil((followers + 1) * 1.1)) : '10000'}
          hint={followers !== null ? `You have ${new Intl.NumberFormat('en-US').format(followers)} now.` : undefined}
          value={draft.target}
          error={errors.target}
          onChange={(e) => setDraft({ ...draft, target: e.target.value })}
        />
        <Input
          label="Deadline"
          type="date"
          min={localDate(addDays(new Date(), 1))}
          value={draft.deadline}
          error={errors.deadline}
          onChange={(e) => setDraft({ ...draft, deadline: e.target.value })}
        />
      </div>
      {refused && (
        <Alert tone="error" title="The goal was not saved">
          <span data-testid="goal-refused">{refused}</span>
        </Alert>
      )}
      <div>
        <Button type="submit" loading={busy}>
          Add goal
        </Button>
      </div>
    </form>
  );
}
