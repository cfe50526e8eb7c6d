-- Every change to an account's posts or follower snapshots advances the
-- account's data_version, whoever makes it. A growth report computed at
-- one version is reused only while the version is unchanged, so a replica
-- never serves a report older than the data another replica has written.
ALTER TABLE instagram_accounts ADD COLUMN IF NOT EXISTS data_version BIGINT NOT NULL DEFAULT 0;

-- One UPDATE per statement, not per row: a sync's batch upsert of a
-- thousand posts advances the version once.
CREATE OR REPLACE FUNCTION instagram_accounts_bump_data_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE instagram_accounts SET data_version = data_version + 1
    WHERE id IN (SELECT DISTINCT account_id FROM changed);
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER instagram_posts_inserted AFTER INSERT ON instagram_posts
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION instagram_accounts_bump_data_version();
CREATE OR REPLACE TRIGGER instagram_posts_updated AFTER UPDATE ON instagram_posts
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION instagram_accounts_bump_data_version();
CREATE OR REPLACE TRIGGER instagram_posts_deleted AFTER DELETE ON instagram_posts
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION instagram_accounts_bump_data_version();

CREATE OR REPLACE TRIGGER follower_snapshots_inserted AFTER INSERT ON follower_snapshots
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION instagram_accounts_bump_data_version();
CREATE OR REPLACE TRIGGER follower_snapshots_updated AFTER UPDATE ON follower_snapshots
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION instagram_accounts_bump_data_version();
CREATE OR REPLACE TRIGGER follower_snapshots_deleted AFTER DELETE ON follower_snapshots
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION instagram_accounts_bump_data_version();
