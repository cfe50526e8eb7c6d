-- The weekly digest, and the notifications behind the live updates.

-- The user's settings the digest reads. The sessions migration (0010)
-- adds the same columns with the same types and defaults; whichever runs
-- first creates them.
ALTER TABLE users ADD COLUMN IF NOT EXISTS email_verified_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE users ADD COLUMN IF NOT EXISTS timezone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE users ADD COLUMN IF NOT EXISTS weekly_digest BOOLEAN NOT NULL DEFAULT true;

-- One row per user and ISO week ("2026-W49") whose digest was queued. It
-- is inserted in the transaction that queues the mail, so a digest is
-- queued exactly once whatever the number of replicas and restarts.
CREATE TABLE IF NOT EXISTS digests_sent (
    user_id    UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    week       TEXT NOT NULL CHECK (week ~ '^[0-9]{4}-W[0-9]{2}$'),
    queued_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, week)
);

-- Unsubscribe tokens, stored only as SHA-256 hashes. A token is an HMAC
-- of the user's id under the server's secret: it never expires, says
-- nothing about its user, and stays valid when the secret changes.
CREATE TABLE IF NOT EXISTS unsubscribe_tokens (
    token_hash BYTEA PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id    UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS unsubscribe_tokens_user_idx ON unsubscribe_tokens (user_id);

-- Live updates: every change of a fetch_posts job's state or progress and
-- every advance of an account's data_version is announced on the channel
-- "events", whoever makes it, and reaches the listeners of every replica
-- when its transaction commits. The payload names the owner, so each
-- server hands the event only to that user's streams.
CREATE OR REPLACE FUNCTION events_notify_sync() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    owner UUID;
BEGIN
    SELECT user_id INTO owner FROM instagram_accounts WHERE id = NEW.account_id;
    IF owner IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM pg_notify('events', json_build_object(
        'type', 'sync',
        'user_id', owner,
        'account_id', NEW.account_id,
        'state', CASE WHEN NEW.state = 'done' THEN 'idle' ELSE NEW.state END,
        'posts_fetched', NEW.posts_fetched)::text);
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER jobs_sync_inserted AFTER INSERT ON jobs
    FOR EACH ROW WHEN (NEW.kind = 'fetch_posts' AND NEW.account_id IS NOT NULL)
    EXECUTE FUNCTION events_notify_sync();
CREATE OR REPLACE TRIGGER jobs_sync_updated AFTER UPDATE OF state, posts_fetched ON jobs
    FOR EACH ROW WHEN (NEW.kind = 'fetch_posts' AND NEW.account_id IS NOT NULL
        AND (OLD.state IS DISTINCT FROM NEW.state OR OLD.posts_fetched IS DISTINCT FROM NEW.posts_fetched))
    EXECUTE FUNCTION events_notify_sync();

CREATE OR REPLACE FUNCTION events_notify_stats() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('events', json_build_object(
        'type', 'stats', 'user_id', NEW.user_id, 'account_id', NEW.id)::text);
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER instagram_accounts_data_changed AFTER UPDATE OF data_version ON instagram_accounts
    FOR EACH ROW WHEN (OLD.data_version IS DISTINCT FROM NEW.data_version)
    EXECUTE FUNCTION events_notify_stats();
