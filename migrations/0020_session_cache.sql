-- Each server keeps, for at most a second, what the session statement of
-- every authenticated request returns (the session's expiry, the user,
-- the account the request names or the latest). Every change that could
-- make such a copy wrong is announced on the channel "session_cache",
-- whoever makes it, when its transaction commits: the payload is the id
-- of the user whose copies each server drops. A transaction that changes
-- many rows of one user sends one notification (PostgreSQL folds
-- identical ones).
CREATE OR REPLACE FUNCTION session_cache_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'users' THEN
        PERFORM pg_notify('session_cache', OLD.id::text);
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM pg_notify('session_cache', OLD.user_id::text);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM pg_notify('session_cache', NEW.user_id::text);
    END IF;
    RETURN NULL;
END
$$;

-- A new session has no copy anywhere; ending one (logout, logout-all, a
-- password change or reset, pruning) matters.
CREATE OR REPLACE TRIGGER sessions_cache_deleted AFTER DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION session_cache_notify();
CREATE OR REPLACE TRIGGER sessions_cache_updated AFTER UPDATE ON sessions
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION session_cache_notify();

-- The user's row (password, settings, verification) and its deletion,
-- which also cascades to the sessions and the accounts.
CREATE OR REPLACE TRIGGER users_cache_updated AFTER UPDATE ON users
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION session_cache_notify();
CREATE OR REPLACE TRIGGER users_cache_deleted AFTER DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION session_cache_notify();

-- Any change of an account: a new one (it becomes the latest), a
-- disconnection, a sync (data_version, last_synced_at, posts_count), the
-- follower count, the token, the insights' state.
CREATE OR REPLACE TRIGGER instagram_accounts_cache_inserted AFTER INSERT ON instagram_accounts
    FOR EACH ROW EXECUTE FUNCTION session_cache_notify();
CREATE OR REPLACE TRIGGER instagram_accounts_cache_updated AFTER UPDATE ON instagram_accounts
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION session_cache_notify();
CREATE OR REPLACE TRIGGER instagram_accounts_cache_deleted AFTER DELETE ON instagram_accounts
    FOR EACH ROW EXECUTE FUNCTION session_cache_notify();
