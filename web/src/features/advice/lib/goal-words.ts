const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** longDate writes a `YYYY-MM-DD` calendar date as "Mar 1, 2027", without shifting zones. */
export function longDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  if (!y || !m || !d) return date;
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
}

/** paceText writes a change per day: "+97.4 followers a day", "−1 follower a day", "no change a day". */
export function paceText(perDay: number): string {
  if (!Number.isFinite(perDay)) return '—';
  if (perDay === 0) return 'no change a day';
  const sign = perDay > 0 ? '+' : '−';
  const size = Math.abs(perDay);
  return `${sign}${oneDecimal.format(size)} ${size === 1 ? 'follower' : 'followers'} a day`;
}

/** localDate is a date's calendar day in the viewer's zone as `YYYY-MM-DD`. */
export function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** addDays moves a date by whole calendar days. */
export function addDays(date: Date, days: number): Date {
  const next = new Date(date);
  next.setDate(next.getDate() + days);
  return next;
}

/** GoalDraft is what the form holds before it is sent. */
export interface GoalDraft {
  target: string;
  deadline: string;
}

/** GoalErrors are the form's field errors, in plain words. */
export interface GoalErrors {
  target?: string;
  deadline?: string;
}

/**
 * validateGoal checks a draft before it is sent: a whole number of followers above the
 * current count (when known), and a deadline after today in the viewer's zone.
 */
export function validateGoal(draft: GoalDraft, followers: number | null, today: Date = new Date()): GoalErrors {
  const errors: GoalErrors = {};
  const raw = draft.target.trim().replace(/[,\s]/g, '');
  const target = Number(raw);
  if (raw === '') errors.target = 'Enter how many followers you want to reach.';
  else if (!/^\d+$/.test(raw) || !Number.isSafeInteger(target)) errors.target = 'Enter a whole number, like 10000.';
  else if (target <= 0) errors.target = 'Your target must be above 0.';
  else if (followers !== null && target <= followers) {
    errors.target = `Your target must be above the ${new Intl.NumberFormat('en-US').format(followers)} followers you have now.`;
  }
  if (!draft.deadline) errors.deadline = 'Pick the date you want to get there by.';
  else if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.deadline)) errors.deadline = 'Pick a date from the calendar.';
  else if (draft.deadline <= localDate(today)) errors.deadline = 'Pick a date after today.';
  return errors;
}

/** goalTarget reads the draft's target as a number (after validateGoal passed). */
export function goalTarget(draft: GoalDraft): number {
  return Number(draft.target.trim().replace(/[,\s]/g, ''));
}

const count = new Intl.NumberFormat('en-US');

/** serverGoalError says in plain words why the server refused a goal. */
export function serverGoalError(message: string): string {
  const text = message.trim();
  if (!text) return 'The goal could not be saved.';
  const above = /^target must be above the current value \((\d+)\)/i.exec(text);
  if (above) return `Your target must be above the ${count.format(Number(above[1]))} followers you have now.`;
  if (/^deadline must be a date after today/i.test(text)) return 'Pick a deadline after today.';
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}
