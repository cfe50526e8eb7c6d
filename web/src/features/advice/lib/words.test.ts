import { describe, expect, it } from 'vitest';
import { serverGoalError, validateGoal, paceText } from '@/features/advice/lib/goal-words';
import { confidenceLabel, effectText, engagementOf, sampleWords, strongestFirst } from '@/features/advice/lib/words';
import { post } from '@/testing/fixtures';

describe('sampleWords', () => {
  it("takes the nouns from the detail when its counts match the sample", () => {
    expect(sampleWords({ detail: 'Reels reached … (14 Reels vs 38 other posts).', sample: { n: 14, baseline_n: 38 } })).toBe(
      'Based on 14 Reels and 38 other posts',
    );
    expect(sampleWords({ detail: 'x (1,204 posts vs 3 Reels).', sample: { n: 1204, baseline_n: 3 } })).toBe('Based on 1,204 posts and 3 Reels');
  });

  it('falls back to plain counts when the detail says something else', () => {
    expect(sampleWords({ detail: 'No counts here.', sample: { n: 1, baseline_n: 5 } })).toBe('Based on 1 post compared with 5 other posts');
    expect(sampleWords({ detail: '(4 Reels vs 9 other posts)', sample: { n: 5, baseline_n: 9 } })).toBe(
      'Based on 5 posts compared with 9 other posts',
    );
  });
});

describe('effects and confidence', () => {
  it('words the effect either way', () => {
    expect(effectText(2.34)).toBe('2.3× more');
    expect(effectText(0.62)).toBe('38% fewer');
    expect(effectText(0)).toBe('');
  });

  it('orders by the size of the effect whichever way it goes, keeping ties in order', () => {
    const items = [
      { effect: 1.3, id: 'a' },
      { effect: 0.45, id: 'b' },
      { effect: 2.5, id: 'c' },
      { effect: 0.8, id: 'd' },
      { effect: 1.3, id: 'e' },
    ];
    expect(strongestFirst(items).map((i) => i.id)).toEqual(['c', 'b', 'a', 'e', 'd']);
  });

  it('labels confidence plainly', () => {
    expect(['high', 'medium', 'low', 'odd'].map(confidenceLabel)).toEqual([
      'High confidence',
      'Medium confidence',
      'Low confidence',
      'Confidence unknown',
    ]);
  });

  it('counts engagement as the contract does and leaves hidden likes unknown', () => {
    const insights = {
      views: 100, reach: 80, saved: 3, shares: null, total_interactions: 15, follows: null, profile_visits: null, reposts: null,
      avg_watch_time_ms: null, total_watch_time_ms: null, skip_rate: null, captured_at: '2026-11-25T10:00:00Z',
    };
    expect(engagementOf(post(1, { like_count: 10, comments_count: 2, insights }))).toBe(15);
    expect(engagementOf(post(1, { like_count: 10, comments_count: 2, insights: null }))).toBe(12);
    expect(engagementOf(post(1, { like_count: null }))).toBeNull();
  });
});

describe('goal words', () => {
  const today = new Date(2026, 11, 1, 23, 30);

  it('validates a draft', () => {
    expect(validateGoal({ target: '10,000', deadline: '2026-12-02' }, 1234, today)).toEqual({});
    expect(validateGoal({ target: '1234', deadline: '2026-12-01' }, 1234, today)).toEqual({
      target: 'Your target must be above the 1,234 followers you have now.',
      deadline: 'Pick a date after today.',
    });
    expect(validateGoal({ target: '0', deadline: '2027-01-01' }, null, today).target).toBe('Your target must be above 0.');
    expect(validateGoal({ target: '-5', deadline: 'soon' }, null, today)).toEqual({
      target: 'Enter a whole number, like 10000.',
      deadline: 'Pick a date from the calendar.',
    });
  });

  it('words paces and server refusals', () => {
    expect(paceText(97.44)).toBe('+97.4 followers a day');
    expect(paceText(-0.5)).toBe('−0.5 followers a day');
    expect(paceText(0)).toBe('no change a day');
    expect(paceText(1)).toBe('+1 follower a day');
    expect(paceText(1234.5)).toBe('+1,234.5 followers a day');
    expect(serverGoalError('deadline must be a future date')).toBe('Deadline must be a future date.');
    expect(serverGoalError('')).toBe('The goal could not be saved.');
    expect(serverGoalError('target must be above the current value (1240).')).toBe('Your target must be above the 1,240 followers you have now.');
    expect(serverGoalError('deadline must be a date after today.')).toBe('Pick a deadline after today.');
  });
});
