-- Growth stats: the follower count closest to a window start is found with
-- two index-only probes, one each side of the start, instead of reading
-- every snapshot of the account (one heap page each, as they are written a
-- day apart).
CREATE INDEX IF NOT EXISTS follower_snapshots_account_taken_at_idx
    ON follower_snapshots (account_id, taken_at) INCLUDE (taken_on, followers);
