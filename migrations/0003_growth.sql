-- Growth stats: the follower count closest to a window start is found with
-- two index-only probes, one each side of the start, in (taken_at, taken_on)
-- order, instead of reading every snapshot of the account (one heap page
-- each, as they are written a day apart).
CREATE INDEX IF NOT EXISTS follower_snapshots_account_taken_idx
    ON follower_snapshots (account_id, taken_at, taken_on) INCLUDE (followers);
