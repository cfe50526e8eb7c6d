import { EmptyState } from '@/components/empty-state';
import { formatInteger } from '@/lib/format';

/** MIN_FOLLOWERS is the follower count from which Instagram reports audience figures. */
export const MIN_FOLLOWERS = 100;

/**
 * PartUnavailable explains why an audience part has no data: the account is under 100
 * followers (Instagram gives nothing below that), or nothing has been read yet.
 */
export function PartUnavailable({
  status,
  followers,
  what,
}: {
  status: 'insufficient_followers' | 'unavailable';
  followers: number | null;
  what: string;
}) {
  if (status === 'insufficient_followers') {
    return (
      <div data-testid="part-insufficient">
        <EmptyState title="Not enough followers yet">
          Instagram shares {what} once an account has {MIN_FOLLOWERS} followers
          {followers === null ? '.' : `; you have ${formatInteger(followers)}.`} Keep posting: it shows up here on its own.
        </EmptyState>
      </div>
    );
  }
  return (
    <div data-testid="part-unavailable">
      <EmptyState title="Not available yet">
        Instagram has not sent {what} yet. Account insights are read once a day, so check back after the next reading.
      </EmptyState>
    </div>
  );
}
