-- The post list (GET /api/instagram/posts) orders by posted_at DESC, id DESC
-- in both branches, with and without `before`. The (account_id, posted_at
-- DESC) index only gives posted_at order, so every page added an Incremental
-- Sort on id; this one gives the whole ORDER BY, and a page is an index scan
-- that stops after `limit` rows. DESC puts NULLs first, as the query does.
--
-- instagram_posts_account_posted_idx stays: the growth stats read its
-- INCLUDE columns with index-only scans.
CREATE INDEX IF NOT EXISTS instagram_posts_account_posted_id_idx
    ON instagram_posts (account_id, posted_at DESC, id DESC);
