import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Goal } from '@/features/advice/api/advice';
import { Goals } from '@/features/advice/components/goals';
import { goal } from '@/testing/advice-fixtures';
import { apiError, mockFetch, type MockResponse } from '@/testing/fetch-mock';
import { renderWithRouter } from '@/testing/render';

function renderGoals(followers: number | null = 1234) {
  return renderWithRouter(<Goals followers={followers} />);
}

describe('Goals', () => {
  beforeEach(() => {
    // Today is Dec 1, 2026 in the viewer's zone, whatever the machine's clock says.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date(2026, 11, 1, 12, 0, 0) });
  });
  afterEach(() => vi.useRealTimers());

  it('lists a goal with its progress, current vs target, pace, ETA and on-track badge', async () => {
    mockFetch({ 'GET /api/goals': { body: { goals: [goal()] } } });
    renderGoals();

    const item = await screen.findByTestId('goal');
    expect(within(item).getByTestId('goal-title')).toHaveTextContent('10,000 followers by Mar 1, 2027');
    expect(within(item).getByTestId('goal-current')).toHaveTextContent('1,234 of 10,000 followers');
    expect(within(item).getByTestId('goal-progress')).toHaveTextContent('12% of the way');
    expect(within(item).getByRole('progressbar', { name: 'Progress toward 10,000 followers' })).toHaveAttribute('value', '0.12');
    expect(within(item).getByTestId('goal-required')).toHaveTextContent('+97.4 followers a day');
    expect(within(item).getByTestId('goal-pace')).toHaveTextContent('+28.1 followers a day');
    expect(within(item).getByTestId('goal-eta')).toHaveTextContent('Sep 14, 2027');
    expect(within(item).getByTestId('goal-on-track')).toHaveTextContent('Behind pace');
  });

  it.each<[string, Partial<Goal>, string, string, string]>([
    ['on track', { on_track: true, current_per_day: 120.5, eta: '2027-02-10' }, 'On track', '+120.5 followers a day', 'Feb 10, 2027'],
    ['without enough data', { on_track: null, current_per_day: null, eta: null }, 'Not enough data yet', 'Not enough data yet', 'Not enough data yet'],
    ['while shrinking', { on_track: false, current_per_day: -3, eta: null }, 'Behind pace', '−3 followers a day', 'Not while the count is not growing'],
  ])('shows a goal %s', async (_name, overrides, badge, pace, eta) => {
    mockFetch({ 'GET /api/goals': { body: { goals: [goal(overrides)] } } });
    renderGoals();
    const item = await screen.findByTestId('goal');
    expect(within(item).getByTestId('goal-on-track')).toHaveTextContent(badge);
    expect(within(item).getByTestId('goal-pace')).toHaveTextContent(pace);
    expect(within(item).getByTestId('goal-eta')).toHaveTextContent(eta);
  });

  it('shows an empty state, creates a goal and lists it', async () => {
    let goals: Goal[] = [];
    const { callsTo } = mockFetch({
      'GET /api/goals': () => ({ body: { goals } }),
      'POST /api/goals': (_url, init) => {
        const body = JSON.parse(String(init.body)) as { target: number; deadline: string };
        goals = [goal({ id: 'goal-2', target: body.target, deadline: body.deadline, progress: 0, on_track: null, current_per_day: null, eta: null })];
        return { status: 201, body: goals[0] };
      },
    });
    const { user } = renderGoals();
    expect(await screen.findByText('No goals yet')).toBeInTheDocument();
    expect(screen.getByText('You have 1,234 now.')).toBeInTheDocument();

    await user.type(screen.getByLabelText('Target followers'), '5,000');
    await user.type(screen.getByLabelText('Deadline'), '2027-06-30');
    await user.click(screen.getByRole('button', { name: 'Add goal' }));

    expect(await screen.findByTestId('goal-title')).toHaveTextContent('5,000 followers by Jun 30, 2027');
    expect(callsTo('POST /api/goals')[0]?.body).toEqual({ metric: 'followers', target: 5000, deadline: '2027-06-30' });
    expect(screen.getByTestId('goal-on-track')).toHaveTextContent('Not enough data yet');
    expect(screen.getByLabelText('Target followers')).toHaveValue('');
  });

  it('checks the form before sending: a number above the current count and a date after today', async () => {
    const { callsTo } = mockFetch({ 'GET /api/goals': { body: { goals: [] } } });
    const { user } = renderGoals();
    await screen.findByText('No goals yet');

    await user.click(screen.getByRole('button', { name: 'Add goal' }));
    expect(screen.getByText('Enter how many followers you want to reach.')).toBeInTheDocument();
    expect(screen.getByText('Pick the date you want to get there by.')).toBeInTheDocument();

    await user.type(screen.getByLabelText('Target followers'), '1000');
    await user.type(screen.getByLabelText('Deadline'), '2026-12-01');
    await user.click(screen.getByRole('button', { name: 'Add goal' }));
    expect(screen.getByText('Your target must be above the 1,234 followers you have now.')).toBeInTheDocument();
    expect(screen.getByText('Pick a date after today.')).toBeInTheDocument();
    expect(screen.getByLabelText('Target followers')).toHaveAttribute('aria-invalid', 'true');

    await user.clear(screen.getByLabelText('Target followers'));
    await user.type(screen.getByLabelText('Target followers'), '12.5');
    await user.click(screen.getByRole('button', { name: 'Add goal' }));
    expect(screen.getByText('Enter a whole number, like 10000.')).toBeInTheDocument();
    expect(callsTo('POST /api/goals')).toHaveLength(0);
  });

  it("shows the server's refusal in plain words", async () => {
    mockFetch({
      'GET /api/goals': { body: { goals: [] } },
      'POST /api/goals': apiError(400, 'invalid_request', 'target must be above the current value (1300).'),
    });
    const { user } = renderGoals(null);
    await screen.findByText('No goals yet');
    await user.type(screen.getByLabelText('Target followers'), '1250');
    await user.type(screen.getByLabelText('Deadline'), '2027-01-31');
    await user.click(screen.getByRole('button', { name: 'Add goal' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The goal was not saved');
    expect(within(alert).getByTestId('goal-refused')).toHaveTextContent('Your target must be above the 1,300 followers you have now.');
    expect(screen.getByLabelText('Target followers')).toHaveValue('1250');
  });

  it('deletes a goal only after confirming', async () => {
    let goals = [goal()];
    const { callsTo } = mockFetch({
      'GET /api/goals': () => ({ body: { goals } }),
      'DELETE /api/goals/goal-1': () => {
        goals = [];
        return { status: 204 };
      },
    });
    const { user } = renderGoals();
    await screen.findByTestId('goal');

    await user.click(screen.getByRole('button', { name: 'Delete goal' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete this goal?' });
    expect(dialog).toHaveTextContent('10,000 followers by Mar 1, 2027');
    await user.click(within(dialog).getByRole('button', { name: 'Keep it' }));
    expect(callsTo('DELETE /api/goals/goal-1')).toHaveLength(0);
    expect(screen.getByTestId('goal')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Delete goal' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('No goals yet')).toBeInTheDocument();
    expect(callsTo('DELETE /api/goals/goal-1')).toHaveLength(1);
  });

  it('shows a failed delete in the goal, and a failed list with retry', async () => {
    mockFetch({
      'GET /api/goals': [apiError(503, 'unavailable'), { body: { goals: [goal()] } }],
      'DELETE /api/goals/goal-1': apiError(404, 'not_found', 'goal not found'),
    });
    const { user } = renderGoals();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load your goals');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    await screen.findByTestId('goal');

    await user.click(screen.getByRole('button', { name: 'Delete goal' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(within(screen.getByTestId('goal')).getByRole('alert')).toHaveTextContent('goal not found'));
  });

  it('shows a busy region while the goals load', () => {
    mockFetch({ 'GET /api/goals': () => new Promise<MockResponse>(() => undefined) });
    renderGoals();
    expect(screen.getByText('Loading your goals').closest('[role="status"]')).toHaveAttribute('aria-busy', 'true');
  });
});
