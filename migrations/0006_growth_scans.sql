-- Growth stats for accounts with tens of thousands of posts.
--
-- 1. One index serves the post list's order (posted_at DESC, id DESC) and,
--    through its INCLUDE columns, the report's window scans as index-only
--    scans: everything the report reads of a post but its hashtags.
DROP INDEX IF EXISTS instagram_posts_account_posted_idx;
DROP INDEX IF EXISTS instagram_posts_account_posted_id_idx;
CREATE INDEX instagram_posts_account_posted_id_idx
    ON instagram_posts (account_id, posted_at DESC, id DESC)
    INCLUDE (like_count, comments_count, media_type);

-- Index-only scans skip the heap only on pages the visibility map marks
-- all-visible, and every sync rewrites its posts (fetched_at): vacuum the
-- posts soon after a sync rather than after a fifth of the table changed.
ALTER TABLE instagram_posts SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 2000);

-- 2. A row per (post, hashtag), kept by triggers from instagram_posts, so
--    that top_hashtags is an index-only scan of the window's tags instead of
--    unnesting every post's array. engagement is likes + comments, hidden
--    counts as 0, as the report counts them.
CREATE TABLE IF NOT EXISTS instagram_post_hashtags (
    post_id    UUID NOT NULL REFERENCES instagram_posts(id) ON DELETE CASCADE,
    account_id UUID NOT NULL,
    posted_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    tag        TEXT NOT NULL,
    engagement BIGINT NOT NULL,
    PRIMARY KEY (post_id, tag)
);

CREATE INDEX IF NOT EXISTS instagram_post_hashtags_account_posted_idx
    ON instagram_post_hashtags (account_id, posted_at) INCLUDE (tag, engagement);

CREATE OR REPLACE FUNCTION instagram_post_hashtags_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO instagram_post_hashtags (post_id, account_id, posted_at, tag, engagement)
    SELECT DISTINCT n.id, n.account_id, n.posted_at, t.tag,
        COALESCE(n.like_count, 0)::bigint + COALESCE(n.comments_count, 0)::bigint
    FROM new_rows n CROSS JOIN LATERAL unnest(n.hashtags) AS t(tag)
    WHERE n.posted_at IS NOT NULL;
    RETURN NULL;
END
$$;

-- A sync rewrites every post it reads; only the rows whose tags, time or
-- counts changed are redone.
CREATE OR REPLACE FUNCTION instagram_post_hashtags_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM instagram_post_hashtags h
    USING new_rows n JOIN old_rows o ON o.id = n.id
    WHERE h.post_id = n.id
        AND (n.hashtags, n.posted_at, n.like_count, n.comments_count, n.account_id)
            IS DISTINCT FROM (o.hashtags, o.posted_at, o.like_count, o.comments_count, o.account_id);
    INSERT INTO instagram_post_hashtags (post_id, account_id, posted_at, tag, engagement)
    SELECT DISTINCT n.id, n.account_id, n.posted_at, t.tag,
        COALESCE(n.like_count, 0)::bigint + COALESCE(n.comments_count, 0)::bigint
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    CROSS JOIN LATERAL unnest(n.hashtags) AS t(tag)
    WHERE n.posted_at IS NOT NULL
        AND (n.hashtags, n.posted_at, n.like_count, n.comments_count, n.account_id)
            IS DISTINCT FROM (o.hashtags, o.posted_at, o.like_count, o.comments_count, o.account_id);
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER instagram_posts_hashtags_inserted AFTER INSERT ON instagram_posts
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION instagram_post_hashtags_inserted();
CREATE OR REPLACE TRIGGER instagram_posts_hashtags_updated AFTER UPDATE ON instagram_posts
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION instagram_post_hashtags_updated();

INSERT INTO instagram_post_hashtags (post_id, account_id, posted_at, tag, engagement)
SELECT DISTINCT p.id, p.account_id, p.posted_at, t.tag,
    COALESCE(p.like_count, 0)::bigint + COALESCE(p.comments_count, 0)::bigint
FROM instagram_posts p CROSS JOIN LATERAL unnest(p.hashtags) AS t(tag)
WHERE p.posted_at IS NOT NULL
ON CONFLICT DO NOTHING;

ALTER TABLE instagram_post_hashtags SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 2000);
