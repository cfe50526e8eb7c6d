-- Follower history before an account was connected: Instagram gives the
-- daily new followers (follower_count) and unfollows (follows_and_unfollows)
-- of the last 30 days, but a running total only for now. The connection's
-- backfill walks the total back through each day's net change and stores
-- the result as derived snapshots, so that the trend and the forecast have
-- a history from the first day. An observed snapshot always wins over a
-- derived one of the same date.
ALTER TABLE follower_snapshots ADD COLUMN IF NOT EXISTS derived BOOLEAN NOT NULL DEFAULT false;
