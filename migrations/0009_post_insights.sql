-- Post insights (issue 11): every reading of a post's lifetime insights,
-- the latest one on the post row, the age ladder's next reading, the
-- metrics Instagram refused per account and media product type, and each
-- account's insights budget.

-- What Instagram sent, exactly: NULL when it sent none. media_url is no
-- longer filled with the thumbnail of a video.
ALTER TABLE instagram_posts
    ADD COLUMN IF NOT EXISTS media_product_type TEXT,
    ADD COLUMN IF NOT EXISTS thumbnail_url      TEXT;

-- The latest reading, kept in the same transaction as the reading's row of
-- instagram_post_insights. NULL: not reported (never 0 for unknown);
-- insights_captured_at is NULL until a reading returned at least one metric.
ALTER TABLE instagram_posts
    ADD COLUMN IF NOT EXISTS insights_captured_at TIMESTAMP WITH TIME ZONE,
    ADD COLUMN IF NOT EXISTS views                BIGINT,
    ADD COLUMN IF NOT EXISTS reach                BIGINT,
    ADD COLUMN IF NOT EXISTS saved                BIGINT,
    ADD COLUMN IF NOT EXISTS shares               BIGINT,
    ADD COLUMN IF NOT EXISTS total_interactions   BIGINT,
    ADD COLUMN IF NOT EXISTS follows              BIGINT,
    ADD COLUMN IF NOT EXISTS profile_visits       BIGINT,
    ADD COLUMN IF NOT EXISTS reposts              BIGINT,
    ADD COLUMN IF NOT EXISTS avg_watch_time_ms    BIGINT,
    ADD COLUMN IF NOT EXISTS total_watch_time_ms  BIGINT,
    ADD COLUMN IF NOT EXISTS skip_rate            DOUBLE PRECISION;

-- When the age ladder wants a post's next reading: now() for a new post,
-- NULL once a post older than 90 days has been read. A table of its own, so
-- that rescheduling a reading that returned nothing neither rewrites the
-- post row (the report's index-only scans need its pages all-visible) nor
-- advances data_version.
CREATE TABLE IF NOT EXISTS instagram_post_insights_due (
    post_id    UUID PRIMARY KEY REFERENCES instagram_posts(id) ON DELETE CASCADE,
    account_id UUID NOT NULL,
    due_at     TIMESTAMP WITH TIME ZONE
);

CREATE INDEX IF NOT EXISTS instagram_post_insights_due_idx
    ON instagram_post_insights_due (account_id, due_at) WHERE due_at IS NOT NULL;

CREATE OR REPLACE FUNCTION instagram_post_insights_due_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO instagram_post_insights_due (post_id, account_id, due_at)
    SELECT n.id, n.account_id, now() FROM new_rows n
    ON CONFLICT (post_id) DO NOTHING;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER instagram_posts_insights_due_inserted AFTER INSERT ON instagram_posts
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION instagram_post_insights_due_inserted();

INSERT INTO instagram_post_insights_due (post_id, account_id, due_at)
SELECT id, account_id, now() FROM instagram_posts
ON CONFLICT (post_id) DO NOTHING;

-- The report's window scans stay index-only: the insights it sums are
-- INCLUDE columns too (insights_captured_at for the coverage).
DROP INDEX IF EXISTS instagram_posts_account_posted_id_idx;
CREATE INDEX instagram_posts_account_posted_id_idx
    ON instagram_posts (account_id, posted_at DESC, id DESC)
    INCLUDE (like_count, comments_count, media_type, insights_captured_at, views, reach, saved, shares, total_interactions);

-- One row per reading that returned at least one metric: the post's
-- lifespan curve, with the like and comment counts of that moment.
CREATE TABLE IF NOT EXISTS instagram_post_insights (
    post_id             UUID NOT NULL REFERENCES instagram_posts(id) ON DELETE CASCADE,
    captured_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    like_count          BIGINT,
    comments_count      BIGINT,
    views               BIGINT,
    reach               BIGINT,
    saved               BIGINT,
    shares              BIGINT,
    total_interactions  BIGINT,
    follows             BIGINT,
    profile_visits      BIGINT,
    reposts             BIGINT,
    avg_watch_time_ms   BIGINT,
    total_watch_time_ms BIGINT,
    skip_rate           DOUBLE PRECISION,
    PRIMARY KEY (post_id, captured_at)
);

-- A metric Instagram refused (code 100) for a media product type of the
-- account, on a UTC date: not asked again for that type until a later date.
CREATE TABLE IF NOT EXISTS instagram_metric_refusals (
    account_id         UUID NOT NULL REFERENCES instagram_accounts(id) ON DELETE CASCADE,
    media_product_type TEXT NOT NULL,
    metric             TEXT NOT NULL,
    refused_on         DATE NOT NULL,
    PRIMARY KEY (account_id, media_product_type, metric)
);

-- The account's insights budget, shared by every replica and kept across
-- restarts: no insights call before insights_parked_until; the backoff
-- doubles while Instagram names no time to wait; the highest usage percent
-- of the last answer; when insights were last read.
ALTER TABLE instagram_accounts
    ADD COLUMN IF NOT EXISTS insights_parked_until TIMESTAMP WITH TIME ZONE,
    ADD COLUMN IF NOT EXISTS insights_backoff_s    INT NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS insights_usage_pct    INT,
    ADD COLUMN IF NOT EXISTS insights_synced_at    TIMESTAMP WITH TIME ZONE;

-- A reading that returned a metric updates its post's row, which fires
-- instagram_posts_updated (migrations/0005): data_version advances once per
-- statement, so reports computed before the reading are not reused after
-- it. A reading that returned nothing changes only the due table.
