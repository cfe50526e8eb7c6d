-- The post list carries the account's number of stored posts on every
-- page. Counting them each time read every index entry of the account
-- (0.2 ms for 1,000 posts, milliseconds for 100,000); the count now lives
-- on the account row, which every request reads anyway, and the triggers
-- that advance data_version keep it, in the same UPDATE.
ALTER TABLE instagram_accounts ADD COLUMN IF NOT EXISTS posts_count BIGINT NOT NULL DEFAULT 0;

UPDATE instagram_accounts a SET posts_count = c.n
FROM (SELECT account_id, count(*) AS n FROM instagram_posts GROUP BY account_id) c
WHERE a.id = c.account_id;

CREATE OR REPLACE FUNCTION instagram_accounts_count_posts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    sign INT := CASE TG_OP WHEN 'DELETE' THEN -1 ELSE 1 END;
BEGIN
    UPDATE instagram_accounts a
    SET posts_count = a.posts_count + sign * c.n, data_version = a.data_version + 1
    FROM (SELECT account_id, count(*) AS n FROM changed GROUP BY account_id) c
    WHERE a.id = c.account_id;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER instagram_posts_inserted AFTER INSERT ON instagram_posts
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION instagram_accounts_count_posts();
CREATE OR REPLACE TRIGGER instagram_posts_deleted AFTER DELETE ON instagram_posts
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION instagram_accounts_count_posts();
