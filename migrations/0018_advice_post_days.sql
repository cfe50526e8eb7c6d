-- The recommendations read every post of their window: about 8,200 rows of
-- 14 columns for an account with 100,000 posts, scanned one by one by the
-- driver, which was most of a computed answer's time. advice_post_days keeps,
-- per account and UTC date of posted_at, what the recommendations read of
-- that date's posts, packed into one value: a 90-day window is 91 rows.
-- The post triggers keep it, in the statement that changes the posts.
CREATE TABLE IF NOT EXISTS advice_post_days (
    account_id UUID NOT NULL REFERENCES instagram_accounts(id) ON DELETE CASCADE,
    day        DATE NOT NULL, -- the UTC date of the posts' posted_at
    posts      INT NOT NULL,
    facts      BYTEA NOT NULL,
    PRIMARY KEY (account_id, day)
);

-- Always read whole: stored out of line, uncompressed.
ALTER TABLE advice_post_days ALTER COLUMN facts SET STORAGE EXTERNAL;
ALTER TABLE advice_post_days SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 2000);

-- advice_text is a text as a record field: its length in bytes (int4), then
-- its UTF-8 bytes; NULL as ''.
CREATE OR REPLACE FUNCTION advice_text(t TEXT) RETURNS BYTEA
LANGUAGE sql STABLE AS $$
    SELECT int4send(octet_length(COALESCE(t, ''))) || convert_to(COALESCE(t, ''), 'UTF8')
$$;

-- advice_post_fact is the record of one post, what internal/postgres
-- (WindowPosts, decodeFacts) reads back; integers big-endian:
--   id (16 bytes), posted_at in Unix microseconds (int8), like_count (int8,
--   -1 when hidden), comments_count (int8, 0 when NULL), saved, shares,
--   reach, views (int8 each, -1 when not reported), skip_rate (float8, -1
--   when not reported), the caption's length in characters (int4), the
--   number of hashtags (int4), media_type, media_product_type, and the
--   permalink only for a VIDEO without a product type (advice_text each).
-- The microseconds come from date_part, a float8, rather than from extract,
-- a numeric several times slower to compute; rounded, they are exact until
-- 2106.
CREATE OR REPLACE FUNCTION advice_post_fact(p instagram_posts) RETURNS BYTEA
LANGUAGE sql STABLE AS $$
    SELECT uuid_send(p.id)
        || int8send(round(date_part('epoch', p.posted_at) * 1000000)::bigint)
        || int8send(COALESCE(p.like_count, -1)::bigint)
        || int8send(COALESCE(p.comments_count, 0)::bigint)
        || int8send(COALESCE(p.saved, -1)) || int8send(COALESCE(p.shares, -1))
        || int8send(COALESCE(p.reach, -1)) || int8send(COALESCE(p.views, -1))
        || float8send(COALESCE(p.skip_rate, -1))
        || int4send(COALESCE(char_length(p.caption), 0)) || int4send(cardinality(p.hashtags))
        || advice_text(p.media_type) || advice_text(p.media_product_type)
        || advice_text(CASE WHEN p.media_type = 'VIDEO' AND p.media_product_type IS NULL THEN p.permalink END)
$$;

-- advice_post_days_refresh rebuilds the given (account, date) pairs from
-- instagram_posts: each date's records newest first, ties by id descending
-- (the order of instagram_posts_account_posted_id_idx); a date left without
-- posts loses its row. Posts with no or an infinite posted_at are in no
-- window and in no date.
--
-- It first takes the accounts' rows, in id order, with the lock the
-- data_version triggers' UPDATE takes anyway: two writers of one account's
-- posts rebuild its dates one after the other, the second from a snapshot
-- taken after the first committed, so neither change is lost.
CREATE OR REPLACE FUNCTION advice_post_days_refresh(accounts UUID[], days DATE[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM instagram_accounts WHERE id = ANY(accounts) ORDER BY id FOR NO KEY UPDATE;
    DELETE FROM advice_post_days d USING unnest(accounts, days) AS k(account_id, day)
    WHERE d.account_id = k.account_id AND d.day = k.day;
    -- One index scan per date (a join would scan every post of the accounts).
    INSERT INTO advice_post_days (account_id, day, posts, facts)
    SELECT k.account_id, k.day, f.posts, f.facts
    FROM (SELECT DISTINCT u.account_id, u.day FROM unnest(accounts, days) AS u(account_id, day)) k
    CROSS JOIN LATERAL (
        SELECT count(*) AS posts, string_agg(advice_post_fact(p), ''::bytea ORDER BY p.posted_at DESC, p.id DESC) AS facts
        FROM instagram_posts p
        WHERE p.account_id = k.account_id
            AND p.posted_at >= k.day::timestamp AT TIME ZONE 'UTC'
            AND p.posted_at < (k.day + 1)::timestamp AT TIME ZONE 'UTC'
    ) f
    WHERE f.posts > 0;
END
$$;

-- Inserted or deleted posts: their trigger names its transition table
-- changed_posts, so that one function serves both.
CREATE OR REPLACE FUNCTION advice_post_days_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    accounts UUID[];
    days     DATE[];
BEGIN
    SELECT array_agg(k.account_id), array_agg(k.day) INTO accounts, days
    FROM (SELECT DISTINCT account_id, (posted_at AT TIME ZONE 'UTC')::date AS day
          FROM changed_posts WHERE isfinite(posted_at)) k;
    IF accounts IS NOT NULL THEN
        PERFORM advice_post_days_refresh(accounts, days);
    END IF;
    RETURN NULL;
END
$$;

-- A sync rewrites every post it reads (fetched_at); only the posts whose
-- account or a column that advice_post_fact reads changed have their dates,
-- old and new, rebuilt.
CREATE OR REPLACE FUNCTION advice_post_days_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    accounts UUID[];
    days     DATE[];
BEGIN
    WITH changed AS (
        SELECT n.account_id AS new_account, n.posted_at AS new_at, o.account_id AS old_account, o.posted_at AS old_at
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.account_id, n.posted_at, n.like_count, n.comments_count, n.saved, n.shares, n.reach, n.views,
               n.skip_rate, n.caption, n.hashtags, n.media_type, n.media_product_type, n.permalink)
            IS DISTINCT FROM (o.account_id, o.posted_at, o.like_count, o.comments_count, o.saved, o.shares, o.reach, o.views,
               o.skip_rate, o.caption, o.hashtags, o.media_type, o.media_product_type, o.permalink)
    )
    SELECT array_agg(k.account_id), array_agg(k.day) INTO accounts, days FROM (
        SELECT new_account AS account_id, (new_at AT TIME ZONE 'UTC')::date AS day FROM changed WHERE isfinite(new_at)
        UNION
        SELECT old_account, (old_at AT TIME ZONE 'UTC')::date FROM changed WHERE isfinite(old_at)
    ) k;
    IF accounts IS NOT NULL THEN
        PERFORM advice_post_days_refresh(accounts, days);
    END IF;
    RETURN NULL;
END
$$;

-- Named to fire before the data_version triggers (triggers of one event
-- fire in name order), so that the account rows are taken in id order.
CREATE OR REPLACE TRIGGER instagram_posts_advice_days_inserted AFTER INSERT ON instagram_posts
    REFERENCING NEW TABLE AS changed_posts
    FOR EACH STATEMENT EXECUTE FUNCTION advice_post_days_rows();
CREATE OR REPLACE TRIGGER instagram_posts_advice_days_updated AFTER UPDATE ON instagram_posts
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION advice_post_days_updated();
CREATE OR REPLACE TRIGGER instagram_posts_advice_days_deleted AFTER DELETE ON instagram_posts
    REFERENCING OLD TABLE AS changed_posts
    FOR EACH STATEMENT EXECUTE FUNCTION advice_post_days_rows();

INSERT INTO advice_post_days (account_id, day, posts, facts)
SELECT p.account_id, (p.posted_at AT TIME ZONE 'UTC')::date, count(*),
    string_agg(advice_post_fact(p), ''::bytea ORDER BY p.posted_at DESC, p.id DESC)
FROM instagram_posts p
WHERE isfinite(p.posted_at)
GROUP BY 1, 2
ON CONFLICT DO NOTHING;
