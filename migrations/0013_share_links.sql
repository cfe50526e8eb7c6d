-- Share links: a read-only growth report of one account, opened without a
-- login at {PUBLIC_URL}/r/<token>. Only the SHA-256 of the token is stored,
-- so the table alone does not open any report. A deleted link is kept with
-- revoked_at set (it answers 404 like an unknown one); rows go with their
-- user or account.
CREATE TABLE IF NOT EXISTS share_links (
    id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    account_id  UUID NOT NULL REFERENCES instagram_accounts(id) ON DELETE CASCADE,
    token_hash  BYTEA NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    period_days INT NOT NULL CHECK (period_days IN (7, 14, 30, 90)),
    tz          TEXT NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at  TIMESTAMP WITH TIME ZONE,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);

-- The user's list, newest first, without the revoked ones.
CREATE INDEX IF NOT EXISTS share_links_user_idx ON share_links (user_id, created_at DESC) WHERE revoked_at IS NULL;
CREATE INDEX IF NOT EXISTS share_links_account_idx ON share_links (account_id);
